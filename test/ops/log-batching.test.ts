import { pbkdf2 } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { batchedDestination, flushLogs } from '../../src/http/logger.js';

/**
 * stdout log lines are written in batches (src/http/logger.ts), here into a file: few write calls,
 * a quiet logger's lines within ~100 ms, none when there is nothing to write, and `flushLogs` writes
 * every line so far in order. The process side (lines on stdout before the banner, "stopped" before
 * exit) is test/ops/process.test.ts's.
 */
type Destination = ReturnType<typeof pino.destination>;

describe('batched log destination', () => {
  let dir: string;
  const opened: Destination[] = [];
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'idgraph-logs-'))));
  afterAll(async () => {
    await Promise.all(opened.map((destination) => (destination.end(), once(destination, 'close'))));
    rmSync(dir, { recursive: true, force: true });
  });

  let file = 0;
  const open = async () => {
    const path = join(dir, `${++file}.log`);
    const destination = batchedDestination(path) as Destination;
    opened.push(destination);
    await once(destination, 'ready');
    const writes: number[] = [];
    destination.on('write', (bytes: number) => writes.push(bytes));
    const logger = pino({ base: null }, destination);
    const lines = () =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { msg: string; i?: number });
    return { logger, writes, lines };
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const padding = 'x'.repeat(200);

  it('writes lines logged 1 ms apart in a few calls, every line once and in order', async () => {
    const { logger, writes, lines } = await open();
    const start = Date.now();
    for (let i = 0; i < 100; i++) {
      logger.info({ i, padding }, 'line');
      await sleep(1);
    }
    const elapsed = Date.now() - start;
    await flushLogs(logger);
    expect(lines().map((line) => line.i)).toEqual([...Array(100).keys()]);
    // ~25 KB: 6 batches of 4 KB and what the interval wrote (every 100 ms), where it was one write per line.
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThanOrEqual(7 + Math.ceil(elapsed / 100));
  });

  it("writes a quiet logger's line within ~100 ms, and nothing when there is nothing to write", async () => {
    const { logger, writes, lines } = await open();
    logger.info('alone');
    expect(lines()).toEqual([]);
    // 300 ms: room for a slow machine.
    await sleep(300);
    expect(lines()).toEqual([expect.objectContaining({ msg: 'alone' })]);
    const after = writes.length;
    await sleep(300);
    expect(writes.length).toBe(after);
  });

  it('flushLogs keeps the order when a batch is still being written', async () => {
    const { logger, lines } = await open();
    // libuv's thread pool kept busy: the batch handed to fs.write waits there, still being written when flushLogs runs.
    const busy = Array.from({ length: Number(process.env.UV_THREADPOOL_SIZE) || 4 }, () => promisify(pbkdf2)('x', 'y', 100_000, 32, 'sha256'));
    // The 16th line takes the batch past 4 KB, to fs.write; the 17th is left for flushLogs.
    for (let i = 0; i < 17; i++) logger.info({ i, padding }, 'line');
    await flushLogs(logger);
    await Promise.all(busy);
    for (let waited = 0; lines().length < 17 && waited < 2000; waited += 10) await sleep(10);
    expect(lines().map((line) => line.i)).toEqual([...Array(17).keys()]);
  });

  it("leaves tests' own destinations alone", async () => {
    const chunks: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) });
    const logger = pino({ base: null }, sink);
    logger.info('own');
    await flushLogs(logger);
    expect(chunks.join('')).toContain('"msg":"own"');
  });
});

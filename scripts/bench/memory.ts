import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../../src/auth/tokens.js';
import { TYPENAME_QUERY } from './baseline.js';
import { benchId } from './data.js';
import { startNodeFlags } from './node-flags.js';

/**
 * `node dist/scripts/bench/memory.js [seconds] [typename|page|mixed] [node flags...]`: is the gateway's
 * memory under load a leak or garbage? Starts the built gateway (with the flags of `npm start`, then
 * the given ones) on the database `npm run bench` loaded (DATABASE_URL), loads it with autocannon
 * (16 connections: `{ __typename }` with a token, the hot app's REST page 1, or 8 of each) and prints
 * every 5 s the RSS, V8's heap (total, used, old space) and external memory, as the gateway itself
 * reports them; with SNAPSHOTS=10,60 it writes heap snapshots at those seconds into .bench/heap
 * (compare them in Chrome DevTools). A leak shows as heap used after GC rising; garbage as old space
 * growing to a multiple of the live heap and falling back.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const JWT_SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef';
const MiB = 1024 * 1024;

/** Preloaded into the gateway: one JSON line of memory figures per second on stderr, tagged. */
const PROBE = `setInterval(() => {
  const m = process.memoryUsage();
  const old = require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
  process.stderr.write('memory-probe ' + JSON.stringify({ rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, old: old ? old.space_size : 0, external: m.external }) + '\\n');
}, 1000).unref();`;

interface Sample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  old: number;
  external: number;
}

const cpuMsOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const peakMiBOf = (pid: number) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

async function main(): Promise<void> {
  const [secondsArg, scenario = 'mixed', ...extraFlags] = process.argv.slice(2);
  const seconds = Number(secondsArg ?? 60);
  const snapshots = (process.env.SNAPSHOTS ?? '').split(',').filter(Boolean).map(Number);
  const heapDir = join(ROOT, '.bench', 'heap');
  mkdirSync(heapDir, { recursive: true });
  const flags = [...startNodeFlags(ROOT), ...extraFlags, '--heapsnapshot-signal=SIGUSR2', '-r', join(heapDir, 'probe.js')];
  writeFileSync(join(heapDir, 'probe.js'), PROBE);
  const child = spawn(process.execPath, [...flags, join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: heapDir,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', JWT_SECRET, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const samples: Sample[] = [];
  let seen = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.startsWith('memory-probe ')) samples.push(JSON.parse(line.slice('memory-probe '.length)) as Sample);
        else seen += `${line}\n`;
      }
      const match = /ready on http:\/\/localhost:(\d+)/.exec(seen);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}):\n${seen}`)));
  });
  const token = await signToken({ jwtSecret: JWT_SECRET }, { sub: 'bench-super', role: 'super_admin', scope: 'admin:read admin:write' }, 3600);
  const base = `http://127.0.0.1:${port}`;
  const typename = {
    url: `${base}/graphql`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: TYPENAME_QUERY }),
  };
  const page = {
    url: `${base}/api/v1/admin/applications/${benchId('a', 1)}/effective-users?page=1&per_page=50`,
    method: 'GET' as const,
    headers: { authorization: `Bearer ${token}` },
  };
  const loads =
    scenario === 'typename'
      ? [{ ...typename, connections: 16 }]
      : scenario === 'page'
        ? [{ ...page, connections: 16 }]
        : [
            { ...typename, connections: 8 },
            { ...page, connections: 8 },
          ];
  const first = samples.length;
  const timers = snapshots.map((at) => setTimeout(() => child.kill('SIGUSR2'), at * 1000));
  const report = setInterval(() => {
    const s = samples.at(-1);
    if (s)
      console.log(
        `${String(samples.length - first).padStart(4)} s  RSS ${Math.round(s.rss / MiB)}  heap ${Math.round(s.heapTotal / MiB)} (used ${Math.round(s.heapUsed / MiB)}, old space ${Math.round(s.old / MiB)})  external ${Math.round(s.external / MiB)} MiB`,
      );
  }, 5000);
  const cpuBefore = cpuMsOf(child.pid!);
  const results = await Promise.all(loads.map((load) => autocannon({ ...load, duration: seconds })));
  const requests = results.reduce((n, r) => n + r.requests.total, 0);
  const cpu = (cpuMsOf(child.pid!) - cpuBefore) / requests;
  clearInterval(report);
  timers.forEach(clearTimeout);
  const during = samples.slice(first);
  const lowestUsed = Math.min(...during.map((s) => s.heapUsed));
  console.log(
    `${scenario}, ${seconds} s: ${results.map((r) => Math.round(r.requests.average)).join(' + ')} req/s, ${cpu.toFixed(3)} CPU ms/req, ` +
      `peak RSS ${peakMiBOf(child.pid!)} MiB, lowest heap used ${Math.round(lowestUsed / MiB)} MiB, largest old space ${Math.round(Math.max(...during.map((s) => s.old)) / MiB)} MiB`,
  );
  child.kill('SIGTERM');
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

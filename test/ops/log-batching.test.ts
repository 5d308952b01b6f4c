import pino from 'pino';
import { BatchedStream } from '../../src/http/logger.js';
import { startTestGateway, type TestGateway } from '../support/harness.js';

/**
 * stdout logs are written in batches (src/http/logger.ts): one write call for the lines of up to
 * 50 ms, in order, none lost. The exit path (pending lines written when the process exits) is
 * covered by test/ops/process.test.ts, whose `"msg":"stopped"` line is logged just before exit.
 */
describe('batched log destination', () => {
  const target = () => {
    const writes: string[] = [];
    return { writes, stream: { write: (chunk: string) => void writes.push(chunk) } };
  };

  afterEach(() => jest.useRealTimers());

  it('writes the lines of one batch in one call, in order, after the batch delay', () => {
    jest.useFakeTimers();
    const { writes, stream } = target();
    const batched = new BatchedStream(stream);
    batched.write('a\n');
    batched.write('b\n');
    batched.write('c\n');
    expect(writes).toEqual([]);
    jest.advanceTimersByTime(50);
    expect(writes).toEqual(['a\nb\nc\n']);
    batched.write('d\n');
    jest.advanceTimersByTime(50);
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes at once when a batch is large, and on flush', () => {
    jest.useFakeTimers();
    const { writes, stream } = target();
    const batched = new BatchedStream(stream);
    const long = `${'x'.repeat(16_384)}\n`;
    batched.write('a\n');
    batched.write(long);
    expect(writes).toEqual([`a\n${long}`]);
    batched.write('b\n');
    const flushed = jest.fn();
    batched.flush(flushed);
    expect(writes).toEqual([`a\n${long}`, 'b\n']);
    expect(flushed).toHaveBeenCalled();
    jest.advanceTimersByTime(50);
    expect(writes).toHaveLength(2);
  });

  describe('behind a gateway', () => {
    let tg: TestGateway;
    const { writes, stream } = target();

    beforeAll(async () => {
      tg = await startTestGateway({}, { logger: pino({ level: 'info' }, new BatchedStream(stream)) });
    });
    afterAll(() => tg.close());

    it('logs every request line of concurrent requests, each once', async () => {
      const token = await tg.superToken();
      const ids = ['batch-1', 'batch-2', 'batch-3', 'batch-4'];
      await Promise.all(ids.map((id) => tg.http.post('/graphql').set('authorization', `Bearer ${token}`).set('x-request-id', id).send({ query: '{ __typename }' }).expect(200)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const lines = writes
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { msg: string; reqId?: string; status?: number });
      for (const id of ids) expect(lines.filter((line) => line.msg === 'request' && line.reqId === id)).toEqual([expect.objectContaining({ status: 200 })]);
    });
  });
});

import { KnexTimeoutError } from 'knex';
import { DriverException } from '@mikro-orm/core';
import { databaseTroubleOf, NO_ANSWER_CODE, NO_CONNECTION_CODE, serviceUnavailableOf } from '../src/common/errors.js';
import { codingDriverErrors } from '../src/db/driver-errors.js';

/**
 * "Database unavailable" is told by error codes alone (src/common/errors.ts); the driver errors that
 * come without a code get one where they arise (src/db/driver-errors.ts), whatever their wording.
 */
describe('database trouble by code', () => {
  it.each([
    ['ECONNREFUSED', 'unreachable'],
    ['EAI_AGAIN', 'unreachable'],
    ['08006', 'unreachable'],
    ['57P01', 'unreachable'],
    ['57P03', 'unreachable'],
    [NO_CONNECTION_CODE, 'unreachable'],
    [NO_ANSWER_CODE, 'unreachable'],
    ['53300', 'busy'],
    ['57014', 'busy'],
    ['23505', undefined],
    ['28P01', undefined],
  ])('%s → %s', (code, trouble) => {
    const error = Object.assign(new Error('whatever the text says'), { code });
    expect(databaseTroubleOf(error)).toBe(trouble);
    // MikroORM's wrapper keeps the code; so does a cause chain.
    expect(databaseTroubleOf(new DriverException(error))).toBe(trouble);
    expect(databaseTroubleOf(new Error('outer', { cause: error }))).toBe(trouble);
    expect(serviceUnavailableOf(error)?.code).toBe(trouble ? 'SERVICE_UNAVAILABLE' : undefined);
  });

  it('ignores message text: a codeless error is not unavailable, whatever it says', () => {
    expect(serviceUnavailableOf(new Error('Connection terminated unexpectedly'))).toBeUndefined();
    expect(serviceUnavailableOf(new Error('Knex: Timeout acquiring a connection'))).toBeUndefined();
  });
});

describe('codes given where the driver gives none', () => {
  class FakeDialect {
    constructor(readonly failure: { acquire?: Error; query?: Error; throwNow?: Error }) {}
    async acquireConnection(): Promise<unknown> {
      if (this.failure.acquire) throw this.failure.acquire;
      return {};
    }
    _query(): Promise<unknown> {
      if (this.failure.throwNow) throw this.failure.throwNow;
      return this.failure.query ? Promise.reject(this.failure.query) : Promise.resolve({});
    }
  }
  const Coding = codingDriverErrors(FakeDialect as never) as unknown as typeof FakeDialect;

  it('a failure to get a connection without a code of its own (pool timeout, closed pool, connect timeout) is NO_CONNECTION', async () => {
    for (const error of [new KnexTimeoutError('Knex: Timeout acquiring a connection.'), new Error('Unable to acquire a connection'), new Error('timeout expired')]) {
      await expect(new Coding({ acquire: error }).acquireConnection()).rejects.toBe(error);
      expect((error as { code?: string }).code).toBe(NO_CONNECTION_CODE);
      expect(error).toBeInstanceOf(Error);
    }
  });

  it('a statement failing without a code (lost connection, read timeout, PGlite closed) is NO_ANSWER; coded errors keep their code', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    await expect(new Coding({ query: lost })._query()).rejects.toBe(lost);
    expect(databaseTroubleOf(lost)).toBe('unreachable');
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(new Coding({ query: unique })._query()).rejects.toBe(unique);
    expect(unique.code).toBe('23505');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(new Coding({ acquire: refused }).acquireConnection()).rejects.toBe(refused);
    expect(refused.code).toBe('ECONNREFUSED');
  });

  it("knex's synchronous throw (an empty query) stays a bug, not a missing answer", () => {
    const bug = new Error('The query is empty');
    expect(() => new Coding({ throwNow: bug })._query()).toThrow(bug);
    expect((bug as { code?: string }).code).toBeUndefined();
  });
});

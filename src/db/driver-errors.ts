import type { Knex } from '@mikro-orm/postgresql';
import { NO_ANSWER_CODE, NO_CONNECTION_CODE } from '../common/errors.js';

/** The two knex dialect methods through which every statement reaches the database (pg's and PGlite's). */
interface KnexDialect {
  acquireConnection(): Promise<unknown>;
  _query(connection: unknown, obj: unknown): Promise<unknown>;
}

/**
 * Some driver errors mean "the database does not answer" but carry no code: knex's pool timeout
 * (KnexTimeoutError) and its closed pool, pg's connect timeout, lost connection and client-side read
 * timeout, a closed PGlite. What they have in common is where they come from, so they are given a code
 * there: a failure to get a connection without a code of its own is NO_CONNECTION_CODE, a statement
 * failing without one is NO_ANSWER_CODE (a server's answer always carries a SQLSTATE, a socket error
 * its errno code; those stay as they are). The code is set on the error itself, not on a wrapper,
 * because MikroORM rebuilds driver errors as DriverException and keeps only their own properties.
 * Which codes mean "unavailable" is decided in one place: serviceUnavailableOf (src/common/errors.ts).
 */
export function codingDriverErrors(Dialect: new (config: Knex.Config) => object): new (config: Knex.Config) => object {
  // Both methods are knex's (Client#acquireConnection, the dialect's _query); its typings declare neither on the dialects.
  const Base = Dialect as new (config: Knex.Config) => KnexDialect;
  class CodingDialect extends Base {
    override async acquireConnection(): Promise<unknown> {
      try {
        return await super.acquireConnection();
      } catch (error) {
        throw withCode(error, NO_CONNECTION_CODE);
      }
    }

    // Not async: knex's own synchronous throw for an empty query is a bug to report as such, not a missing answer.
    override _query(connection: unknown, obj: unknown): Promise<unknown> {
      return super._query(connection, obj).catch((error: unknown) => {
        throw withCode(error, NO_ANSWER_CODE);
      });
    }
  }
  return CodingDialect;
}

function withCode(error: unknown, code: string): unknown {
  // Not `instanceof Error`: socket errors are made in Node's realm, which is not the tests' VM realm.
  if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code == null) Object.assign(error, { code });
  return error;
}

import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import { databaseTroubleOf } from '../common/errors.js';
import { preparedRows, primaryRows } from './prepared.js';

/**
 * Read replicas (PostgreSQL streaming replicas, wired through MikroORM's `replicas`), with GitLab-style
 * load balancing: a request that carries the LSN of its client's last write is read from a replica only
 * once that replica has replayed past it; other requests accept lag up to `maxLagMs`; a replica that
 * does not answer leaves the rotation until a later probe finds it again. Writes and everything inside
 * a transaction stay on the primary.
 */

/** The SQL connection MikroORM made for one replica (the parts used here). */
interface ReplicaConnection {
  execute<T>(query: string | Knex.QueryBuilder | Knex.Raw, params?: unknown[], method?: 'all' | 'get' | 'run'): Promise<T>;
  getKnex(): Knex;
  options?: { name?: string };
}

export interface ReplicaState {
  name: string;
  healthy: boolean;
  /** pg_last_wal_replay_lsn() at the last probe. */
  replayLsn: string | null;
  lagBytes: number | null;
  lagSeconds: number | null;
  reads: number;
  checkedAt: Date | null;
  error: string | null;
}

interface Replica {
  connection: ReplicaConnection;
  state: ReplicaState;
}

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** A WAL position `X/Y` as a comparable number. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export function isLsn(value: unknown): value is string {
  return typeof value === 'string' && LSN.test(value);
}

export interface ReplicaOptions {
  maxLagMs: number;
  probeIntervalMs: number;
}

export class ReplicaSet {
  private readonly replicas: Replica[];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly orm: MikroORM,
    private readonly options: ReplicaOptions,
  ) {
    const driver = orm.em.getDriver() as unknown as { replicas: ReplicaConnection[] };
    this.replicas = driver.replicas.map((connection, i) => ({
      connection,
      state: { name: connection.options?.name ?? `replica-${i + 1}`, healthy: false, replayLsn: null, lagBytes: null, lagSeconds: null, reads: 0, checkedAt: null, error: null },
    }));
  }

  get size(): number {
    return this.replicas.length;
  }

  states(): ReplicaState[] {
    return this.replicas.map((r) => ({ ...r.state }));
  }

  /** Probes now and then every `probeIntervalMs` (unref'd: never keeps the process alive). */
  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), this.options.probeIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The primary's WAL insert position: every commit acknowledged so far lies at or before it (also with synchronous_commit off). */
  async primaryLsn(em: EntityManager): Promise<string> {
    const [row] = await em.getConnection('write').execute<{ lsn: string }[]>('select pg_current_wal_insert_lsn()::text as lsn');
    return row.lsn;
  }

  /**
   * Replay position and lag of every replica; a replica that fails leaves the rotation until it answers
   * again. Lag is measured against the WAL the primary has written (what a replica can have received),
   * not the insert position, which runs ahead of it while records sit in the WAL buffers.
   */
  async probe(): Promise<void> {
    let primary: string | null = null;
    try {
      const [row] = await this.orm.em.fork().getConnection('write').execute<{ lsn: string }[]>('select pg_current_wal_lsn()::text as lsn');
      primary = row.lsn;
    } catch {
      // Primary unreachable: keep the last known replica states; requests will fail on the primary anyway.
    }
    await Promise.all(
      this.replicas.map(async (replica) => {
        try {
          const [row] = await replica.connection.execute<{ lsn: string | null; lag_bytes: string | null; replay_age: string | null }[]>(
            `select pg_last_wal_replay_lsn()::text as lsn,
                    case when ?::pg_lsn is null then null else pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn()) end as lag_bytes,
                    extract(epoch from now() - pg_last_xact_replay_timestamp()) as replay_age`,
            [primary, primary],
          );
          const lagBytes = row.lag_bytes === null ? null : Math.max(0, Number(row.lag_bytes));
          Object.assign(replica.state, {
            healthy: row.lsn !== null,
            replayLsn: row.lsn,
            lagBytes,
            // Caught up means no lag, however long ago the last replayed transaction was.
            lagSeconds: lagBytes === 0 ? 0 : row.replay_age === null ? null : Number(row.replay_age),
            checkedAt: new Date(),
            error: row.lsn === null ? 'not a replica (pg_last_wal_replay_lsn() is null)' : null,
          });
        } catch (error) {
          Object.assign(replica.state, { healthy: false, checkedAt: new Date(), error: (error as Error).message });
        }
      }),
    );
  }

  /**
   * The replica to read from, or null for the primary. With `minLsn` (the client's last write): a
   * healthy replica known (or asked now) to have replayed past it. Without: a healthy replica whose
   * lag is within `maxLagMs`.
   */
  async choose(minLsn: string | undefined): Promise<Replica | null> {
    const healthy = this.replicas.filter((r) => r.state.healthy);
    if (!healthy.length) return null;
    if (minLsn) {
      const wanted = lsnValue(minLsn);
      const caughtUp = healthy.filter((r) => r.state.replayLsn && lsnValue(r.state.replayLsn) >= wanted);
      if (caughtUp.length) return pick(caughtUp);
      // The last probe may be old: ask one replica now (one statement) before falling back to the primary.
      const candidate = pick(healthy);
      try {
        const [row] = await candidate.connection.execute<{ lsn: string | null }[]>('select pg_last_wal_replay_lsn()::text as lsn');
        candidate.state.replayLsn = row.lsn;
        return row.lsn && lsnValue(row.lsn) >= wanted ? candidate : null;
      } catch (error) {
        this.markDown(candidate, error);
        return null;
      }
    }
    const fresh = healthy.filter((r) => r.state.lagSeconds !== null && r.state.lagSeconds * 1000 <= this.options.maxLagMs);
    return fresh.length ? pick(fresh) : null;
  }

  markDown(replica: Replica, error: unknown): void {
    Object.assign(replica.state, { healthy: false, error: (error as Error).message, checkedAt: new Date() });
  }

  /** Runs a read on the chosen replica; if the replica stops answering, marks it down and returns undefined (the caller reads from the primary). */
  async read<T>(em: EntityManager, replica: Replica, query: Knex.QueryBuilder | Knex.Raw, prepared: boolean): Promise<T | undefined> {
    try {
      const result = prepared ? await preparedRows<T>(em, replica.connection.getKnex(), query, replica.state.name) : await replica.connection.execute<T>(query);
      replica.state.reads++;
      return result;
    } catch (error) {
      // A replica that is unreachable leaves the rotation; one that answered "not now" (statement timeout, too many connections) or rejected the query passes the error on.
      if (databaseTroubleOf(error) !== 'unreachable') throw error;
      this.markDown(replica, error);
      return undefined;
    }
  }
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/**
 * Where one request reads. Decided at its first read, then kept (a request sees one snapshot source).
 * Requests that write (mutations) read from the primary throughout, so they see their own writes.
 */
export class ReadRoute {
  /** Set for mutations: every read of the request goes to the primary. */
  primaryOnly = false;
  /** Where the request's reads went, for the response header and tests: 'primary' or a replica name. */
  servedBy: string | undefined;
  private chosen: Promise<Replica | null> | undefined;

  constructor(
    private readonly replicas: ReplicaSet,
    private readonly minLsn: string | undefined,
  ) {}

  /** `prepared`: run as a named prepared statement (src/db/prepared.ts); the caller has checked that the database allows it. */
  async rows<T>(em: EntityManager, query: Knex.QueryBuilder | Knex.Raw, prepared = false): Promise<T> {
    if (!this.primaryOnly && !em.isInTransaction()) {
      this.chosen ??= this.replicas.choose(this.minLsn);
      const replica = await this.chosen;
      if (replica) {
        const result = await this.replicas.read<T>(em, replica, query, prepared);
        if (result !== undefined) {
          this.servedBy ??= replica.state.name;
          return result;
        }
        this.chosen = Promise.resolve(null);
      }
    }
    this.servedBy = 'primary';
    return primaryRows<T>(em, query, prepared);
  }
}

/** The read route of each request's EntityManager fork (set when the request context is made). */
const routes = new WeakMap<EntityManager, ReadRoute>();

export function setReadRoute(em: EntityManager, route: ReadRoute): void {
  routes.set(em, route);
}

export function readRouteOf(em: EntityManager): ReadRoute | undefined {
  return routes.get(em);
}

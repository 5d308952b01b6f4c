import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATIONS, openDatabase } from '../../src/db/orm.js';

/** Several instances starting together against one new database: migrations run once, all start. */
describe('instances starting together', () => {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('migrations.pg.test.ts needs DATABASE_URL (a PostgreSQL server)');
  const name = `idgraph_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };

  beforeAll(() => admin(`create database ${name}`));
  afterAll(() => admin(`drop database if exists ${name} with (force)`));

  it('three instances open a fresh database at once: each starts, each migration is applied once', async () => {
    const instances = await Promise.all([0, 1, 2].map(() => openDatabase(url.toString())));
    try {
      const [applied] = await instances[0].orm.em.fork().execute('select count(*) as total from mikro_orm_migrations');
      // Each checked-in migration once (not once per instance).
      expect(Number(applied.total)).toBe(MIGRATIONS.length);
      for (const db of instances) {
        const [row] = await db.orm.em.fork().execute('select count(*) as total from tenant');
        expect(Number(row.total)).toBe(0);
      }
    } finally {
      await Promise.all(instances.map((db) => db.close()));
    }
  });
});

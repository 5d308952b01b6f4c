import 'reflect-metadata';
import { openDatabase } from '../src/db/orm.js';
import { checkEffectiveAccess, rebuildEffectiveAccess } from '../src/modules/assignment/effective-access.maintenance.js';

/**
 * `npm run access:rebuild`: recomputes the effective-access index from the base tables (after loading
 * data with plain SQL and triggers disabled, say). `npm run access:check`: recomputes without writing
 * and lists every difference; exits 1 on any. Both on DATABASE_URL (the embedded database lives in
 * the server process only).
 */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'rebuild' && command !== 'check') {
    console.error('usage: access.js rebuild|check');
    process.exit(2);
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`access:${command}: DATABASE_URL is not set`);
    process.exit(2);
  }
  const db = await openDatabase(url);
  try {
    const em = db.orm.em.fork();
    if (command === 'rebuild') {
      const started = Date.now();
      const { rows, counts } = await rebuildEffectiveAccess(em);
      // Outside the rebuild's transaction: sets the visibility map of the freshly written rows, so page
      // scans are index-only from the start (else every entry skipped is a heap fetch until autovacuum runs).
      await em.getConnection().execute('vacuum (analyze) effective_access, effective_access_count');
      console.log(`access:rebuild: ${rows} effective-access rows, ${counts} (application, tenant) counts, in ${Date.now() - started} ms`);
      return;
    }
    const differences = await checkEffectiveAccess(em);
    for (const d of differences.slice(0, 1000)) console.log(JSON.stringify(d));
    if (differences.length) {
      console.error(`access:check: ${differences.length} difference(s) between the index and the base tables`);
      process.exitCode = 1;
    } else {
      console.log('access:check: the index matches the base tables');
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

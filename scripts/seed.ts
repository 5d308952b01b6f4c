import 'reflect-metadata';
import { loadDemoData } from '../src/app/demo-data.js';
import { openDatabase } from '../src/db/orm.js';

/** Loads the demo data into DATABASE_URL's database (migrations applied first); refuses a database that has tenants. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('seed: DATABASE_URL is not set (the embedded database of `npm start` is seeded on its own; seed is for PostgreSQL)');
    process.exit(1);
  }
  const db = await openDatabase(url);
  try {
    const [row] = await db.orm.em.fork().execute('select count(*) as total from tenant');
    if (Number(row.total) > 0) {
      console.error(`seed: refusing to load demo data: the database already has ${row.total} tenant(s)`);
      process.exitCode = 1;
      return;
    }
    const demo = await loadDemoData(db.orm);
    console.log('seed: demo data loaded');
    console.log(JSON.stringify(demo, null, 2));
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

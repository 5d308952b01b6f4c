/** Tests run through the public surface (GraphQL over HTTP, REST) on a real database:
 *  an in-memory PGlite per test file by default, a fresh PostgreSQL database per file with DATABASE_URL. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // *.pg.test.ts need a PostgreSQL server: collected only when DATABASE_URL is set.
  // test/scaleout/ needs the primary + replica + PgBouncer of .ci/scaleout.sh: `npm run test:scaleout`.
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/', ...(process.env.DATABASE_URL ? [] : ['\\.pg\\.test\\.ts$']), ...(process.env.SCALEOUT ? [] : ['/test/scaleout/'])],
  // Lets each test file's memory go once the file is done (see the file).
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // Sources import with NodeNext's `.js` suffixes; jest resolves them to the `.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 60000,
  maxWorkers: 2,
};

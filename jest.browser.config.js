/** The playground's end-to-end test in Debian's Chromium (`npm run test:browser`); kept out of `npm test`. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/test/browser/**/*.browser.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  maxWorkers: 1,
};

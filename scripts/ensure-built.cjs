// Builds dist/ only when it is missing or older than the sources, so that `npm start`, `npm run
// token` and `npm run reset` start in a second instead of running tsc every time. Plain Node: it
// runs before anything is built. tsc's output goes to stderr (stdout may be captured: TOKEN=$(...)).
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const outputs = ['dist/src/main.js', 'dist/scripts/token.js', 'dist/scripts/reset.js'].map((file) => join(root, file));

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), 0);
}

const sources = Math.max(...['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((p) => newest(join(root, p))));
const built = outputs.every((file) => existsSync(file)) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
if (built < sources) {
  process.stderr.write('building dist/ (sources changed)...\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (!outputs.every((file) => existsSync(file))) process.exit(tsc.status || 1);
}

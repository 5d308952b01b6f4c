import '../src/env-file.js';
import { existsSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import { lockDataDir } from '../src/data-dir.js';

/** `npm run reset`: removes DATA_DIR (embedded database, dev secret), so that the next start begins anew. */
function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`reset: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (!config.dataDir) {
    console.error('reset: IDGRAPH_EPHEMERAL is set: nothing is kept, nothing to reset');
    return;
  }
  const shown = relative(process.cwd(), config.dataDir) || config.dataDir;
  if (!existsSync(config.dataDir)) {
    console.error(`reset: ${shown} does not exist: nothing to reset`);
    return;
  }
  try {
    // Refuses while a server runs on it.
    lockDataDir(config.dataDir);
  } catch (error) {
    console.error(`reset: ${(error as Error).message}`);
    process.exit(1);
  }
  rmSync(config.dataDir, { recursive: true, force: true });
  console.error(`reset: removed ${shown} (embedded database and dev JWT secret); the next start loads the demo data again and prints a new token`);
}

main();

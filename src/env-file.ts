import { existsSync } from 'node:fs';

/**
 * Loads `.env` from the working directory when there is one, as `node --env-file` would: variables
 * already set in the environment win. Imported first by the server and the CLIs so that they all
 * read the same settings (JWT_SECRET, DATA_DIR, OTEL_*...).
 */
if (existsSync('.env')) process.loadEnvFile('.env');

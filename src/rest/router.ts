import { Router } from 'express';
import type { Gateway } from '../http/server.js';

/** The REST compatibility layer (SPEC §4): routes that run GraphQL documents through the gateway's schema. */
export function createRestRouter(_gateway: Gateway): Router {
  return Router();
}

import type supertest from 'supertest';
import type { TestGateway } from '../support/harness.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One REST call with a bearer token (and optional JSON body / extra headers). */
export function call(gw: TestGateway, method: Method, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): supertest.Test {
  let request = gw.http[method](path);
  if (token) request = request.set('authorization', `Bearer ${token}`);
  for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
  if (body !== undefined) request = request.send(body as object);
  return request;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** `{data, meta: {request_id, timestamp}}` and nothing else. */
export function expectSingle(body: Record<string, unknown>): any {
  expect(Object.keys(body).sort()).toEqual(['data', 'meta']);
  expectMeta(body.meta);
  return body.data;
}

/** `{data: [...], pagination: {page, per_page, total_items, total_pages}, meta}`. */
export function expectList(body: Record<string, unknown>): any[] {
  expect(Object.keys(body).sort()).toEqual(['data', 'meta', 'pagination']);
  expect(Array.isArray(body.data)).toBe(true);
  expect(Object.keys(body.pagination as object).sort()).toEqual(['page', 'per_page', 'total_items', 'total_pages']);
  expectMeta(body.meta);
  return body.data as any[];
}

function expectMeta(meta: unknown): void {
  const { request_id, timestamp } = meta as { request_id: string; timestamp: string };
  expect(Object.keys(meta as object).sort()).toEqual(['request_id', 'timestamp']);
  expect(typeof request_id).toBe('string');
  expect(timestamp).toMatch(ISO);
}

/** Every key of the object is snake_case (recursively, except opaque `first_client`). */
export function expectSnakeCase(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(expectSnakeCase);
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    expect(key).toMatch(/^[a-z0-9_]+$/);
    if (key !== 'first_client') expectSnakeCase(inner);
  }
}

export const APPLICATION_FIELDS = ['id', 'name', 'description', 'application_type', 'scope', 'partner_id', 'tenant_id', 'redirect_uris', 'client_id', 'created_at', 'updated_at'];
export const TENANT_FIELDS = ['id', 'name', 'slug', 'status', 'partner_id', 'settings', 'created_at', 'updated_at'];
export const EFFECTIVE_USER_FIELDS = ['id', 'email', 'name', 'tenant_id', 'tenant_name', 'direct', 'groups'];
export const APP_ASSIGNMENT_FIELDS = ['application_id', 'application_name', 'application_client_id', 'assigned_at', 'assignment_type', 'assigned_via'];
export const ASSIGNMENT_FIELDS = ['id', 'tenant_id', 'application_id', 'assignment_type', 'assigned_at'];

/**
 * REST speaks snake_case, GraphQL camelCase. Keys are converted recursively, except inside
 * opaque JSON values (a management app's `first_client`), which belong to the client verbatim.
 */
const OPAQUE_SNAKE_KEYS = new Set(['first_client']);
const OPAQUE_CAMEL_KEYS = new Set(['firstClient']);

export const snakeToCamelKey = (key: string): string => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
export const camelToSnakeKey = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Key conversion remembered per key: responses repeat the same few field names on every row. Bounded,
 * since request bodies may carry arbitrary keys.
 */
function remembered(convert: (key: string) => string, limit = 2000): (key: string) => string {
  const known = new Map<string, string>();
  return (key) => {
    let converted = known.get(key);
    if (converted === undefined) {
      converted = convert(key);
      if (known.size < limit) known.set(key, converted);
    }
    return converted;
  };
}
const toCamelKey = remembered(snakeToCamelKey);
const toSnakeKey = remembered(camelToSnakeKey);

function convertKeys(value: unknown, convert: (key: string) => string, opaque: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => convertKeys(item, convert, opaque));
  // executeOperation hands back resolved values, not serialized ones: DateTime fields are still Dates.
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const inner = (value as Record<string, unknown>)[key];
    out[convert(key)] = opaque.has(key) ? inner : convertKeys(inner, convert, opaque);
  }
  return out;
}

export function toCamelKeys<T = unknown>(value: unknown): T {
  return convertKeys(value, toCamelKey, OPAQUE_SNAKE_KEYS) as T;
}

export function toSnakeKeys<T = unknown>(value: unknown): T {
  return convertKeys(value, toSnakeKey, OPAQUE_CAMEL_KEYS) as T;
}

/**
 * Page-boundary keys of effective-user pages, so that a deep `page=` skips from the nearest known key
 * instead of from the start of the application's index range (page 500 of 50k users: ~25,000 index
 * entries otherwise, on every request).
 *
 * An anchor says "the entry at position p (0-based) of this application's range, under this tenant
 * constraint, is (email, user id)" and holds for one version of the application's index rows:
 * `effective_access_version` takes a fresh sequence value in the transaction of every change of the
 * application's rows (trigger on effective_access, see effective-access.sql.ts). The page statement
 * reads the version in the same snapshot as the rows, uses the anchor only if the version is still the
 * anchor's (else it skips from the start, in the same statement), and returns the version with which
 * the page's own keys become anchors. Same version ⇒ same rows ⇒ same positions: results are exactly
 * those of OFFSET.
 *
 * Per process, per database (keyed by the ORM driver), bounded. Only for ranges whose filter is the
 * index itself (all tenants, or one tenant): a partner admin's visible tenants can change without
 * the application's rows changing (a tenant moved to another partner), so its pages skip from the start.
 */
export interface Anchor {
  version: string;
  position: number;
  email: string;
  userId: string;
}

interface RangeAnchors {
  version: string;
  /** position → key, for one version. */
  keys: Map<number, { email: string; userId: string }>;
}

const MAX_RANGES = 2_000;
const MAX_KEYS_PER_RANGE = 256;

const perDatabase = new WeakMap<object, Map<string, RangeAnchors>>();

function rangesOf(database: object): Map<string, RangeAnchors> {
  let ranges = perDatabase.get(database);
  if (!ranges) perDatabase.set(database, (ranges = new Map<string, RangeAnchors>()));
  return ranges;
}

/** The known key nearest below or at `offset` (none for offset 0, where there is nothing to skip). */
export function nearestAnchor(database: object, range: string, offset: number): Anchor | null {
  if (offset <= 0) return null;
  const found = rangesOf(database).get(range);
  if (!found) return null;
  let best: Anchor | null = null;
  for (const [position, key] of found.keys) {
    if (position <= offset && (!best || position > best.position)) best = { version: found.version, position, ...key };
  }
  return best;
}

/** Keys seen at `version` (a newer version replaces what an older one knew). */
export function rememberAnchors(database: object, range: string, version: string, keys: { position: number; email: string; userId: string }[]): void {
  if (keys.length === 0) return;
  const ranges = rangesOf(database);
  let found = ranges.get(range);
  if (found && found.version !== version) {
    // Versions only grow; a read from a lagging replica must not throw away what a newer one knew.
    if (BigInt(version) < BigInt(found.version)) return;
    found = undefined;
  }
  if (!found) {
    found = { version, keys: new Map() };
    ranges.delete(range);
    ranges.set(range, found);
    if (ranges.size > MAX_RANGES) ranges.delete(ranges.keys().next().value!);
  }
  for (const { position, email, userId } of keys) {
    if (position <= 0) continue;
    found.keys.delete(position);
    found.keys.set(position, { email, userId });
    if (found.keys.size > MAX_KEYS_PER_RANGE) found.keys.delete(found.keys.keys().next().value!);
  }
}

/**
 * A sync client of one application's effective users (issue 11; docs/sync.md): read every effective
 * user once, keep the `changes_cursor` of the FIRST page, then poll the change feed from it. A 410
 * (cursor older than the retention) means: read everything again.
 *
 *   IDGRAPH_URL=http://localhost:4000 IDGRAPH_TOKEN=<application or admin token> APPLICATION_ID=<id> \
 *     npx tsx examples/sync/run.ts
 */
export interface SyncedUser {
  id: string;
  email: string;
  tenant_id: string;
}

export interface SyncState {
  users: Map<string, SyncedUser | { id: string; email: string | null; tenant_id: string }>;
  cursor: string;
}

/** What this client reads of the two list envelopes (effective users: next_cursor null on the last page). */
interface ListEnvelope {
  data: unknown;
  pagination: { next_cursor: string; changes_cursor?: string; has_more?: boolean };
}

async function getJson(baseUrl: string, token: string, path: string): Promise<{ status: number; body: ListEnvelope }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as ListEnvelope };
}

/** Every effective user, page by page (`cursor=` starts a cursor read); the feed position of the first page. */
export async function fullRead(baseUrl: string, token: string, applicationId: string): Promise<SyncState> {
  const users: SyncState['users'] = new Map();
  let changesCursor: string | null = null;
  for (let cursor = ''; ;) {
    const { status, body } = await getJson(baseUrl, token, `/api/v1/admin/applications/${applicationId}/effective-users?per_page=100&cursor=${encodeURIComponent(cursor)}`);
    if (status !== 200) throw new Error(`effective users: HTTP ${status} ${JSON.stringify(body)}`);
    // The position as of the start of the read: changes during the read are replayed on top (harmless).
    changesCursor ??= body.pagination.changes_cursor as string;
    for (const user of body.data as SyncedUser[]) users.set(user.id, { id: user.id, email: user.email, tenant_id: user.tenant_id });
    if (!body.pagination.next_cursor) return { users, cursor: changesCursor };
    cursor = body.pagination.next_cursor;
  }
}

/** Applies every change after `state.cursor` (granted → add, revoked → remove); on 410 reads everything again. */
export async function poll(baseUrl: string, token: string, applicationId: string, state: SyncState): Promise<SyncState> {
  for (;;) {
    const { status, body } = await getJson(
      baseUrl,
      token,
      `/api/v1/admin/applications/${applicationId}/effective-users/changes?limit=100&cursor=${encodeURIComponent(state.cursor)}`,
    );
    if (status === 410) return fullRead(baseUrl, token, applicationId);
    if (status !== 200) throw new Error(`changes: HTTP ${status} ${JSON.stringify(body)}`);
    for (const change of body.data as { user_id: string; email: string | null; tenant_id: string; change: 'granted' | 'revoked' }[]) {
      if (change.change === 'granted') state.users.set(change.user_id, { id: change.user_id, email: change.email, tenant_id: change.tenant_id });
      else state.users.delete(change.user_id);
    }
    state.cursor = body.pagination.next_cursor;
    if (!body.pagination.has_more) return state;
  }
}

/** Full read, then `polls` polls `intervalMs` apart (forever when `polls` is undefined). */
export async function main(options: {
  baseUrl: string;
  token: string;
  applicationId: string;
  polls?: number;
  intervalMs?: number;
  log?: (line: string) => void;
}): Promise<SyncState> {
  const log = options.log ?? ((line: string) => console.log(line));
  let state = await fullRead(options.baseUrl, options.token, options.applicationId);
  log(`full read: ${state.users.size} users`);
  for (let i = 0; options.polls === undefined || i < options.polls; i++) {
    if (i > 0 || options.polls === undefined) await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10_000));
    const before = state.users.size;
    state = await poll(options.baseUrl, options.token, options.applicationId, state);
    log(`poll ${i + 1}: ${state.users.size} users (${state.users.size - before >= 0 ? '+' : ''}${state.users.size - before})`);
  }
  return state;
}

import { ok, type TestGateway } from '../support/harness.js';
import { addMember, assignGroup, assignUser, buildWorld, createGroup, createUser, gqlAs, type World } from '../support/world.js';

export const RW = 'admin:read admin:write';

/** The viewer kinds of the permission matrix (issue 3), in column order. */
export const VIEWERS = ['super', 'pa1', 'pa2', 'ta1a', 'ta2', 'ro', 'app', 'mgmt', 'anon'] as const;
export type ViewerKey = (typeof VIEWERS)[number];

/**
 * buildWorld plus users, groups, assignments and the tokens of every viewer kind:
 * - users u1a (t1a), u1b (t1b), u2 (t2), u0 (t0); groups g1a (t1a, member u1a), g2 (t2, member u2)
 * - GLOBAL app assigned directly to u1a, u1b, u2, u0; T1A App to group g1a; P1 App directly to u1b
 * - mgmtApp: a management application of t1a ("T1A Mgmt")
 * - tokens: `app` is T1A App's own token (POST /oauth/token), `mgmt` the management app's token.
 */
export interface AuthWorld extends World {
  su: string;
  u1a: string;
  u1b: string;
  u2: string;
  u0: string;
  g1a: string;
  g2: string;
  mgmtApp: string;
  tokens: Record<ViewerKey, string | undefined>;
  /** Application credentials: T1A App (after a rotation) and the management app. */
  credentials: { app: { clientId: string; clientSecret: string }; mgmt: { clientId: string; clientSecret: string } };
  /** id → symbolic name (p1, t1a, u1a, ...) */
  sym(id: string | null | undefined): string | null;
}

export async function applicationToken(gw: TestGateway, clientId: string, clientSecret: string): Promise<string> {
  const res = await gw.http.post('/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token;
}

export async function buildAuthWorld(gw: TestGateway): Promise<AuthWorld> {
  const su = await gw.superToken();
  const w = await buildWorld(gw);
  const u1a = await createUser(gw, su, w.t1a, 'u1a@t1a.test');
  const u1b = await createUser(gw, su, w.t1b, 'u1b@t1b.test');
  const u2 = await createUser(gw, su, w.t2, 'u2@t2.test');
  const u0 = await createUser(gw, su, w.t0, 'u0@t0.test');
  const g1a = await createGroup(gw, su, w.t1a, 'G1A');
  const g2 = await createGroup(gw, su, w.t2, 'G2');
  await addMember(gw, su, w.t1a, g1a, u1a);
  await addMember(gw, su, w.t2, g2, u2);
  await assignUser(gw, su, w.t1a, u1a, w.apps.global);
  await assignUser(gw, su, w.t1b, u1b, w.apps.global);
  await assignUser(gw, su, w.t2, u2, w.apps.global);
  await assignUser(gw, su, w.t0, u0, w.apps.global);
  await assignGroup(gw, su, w.t1a, g1a, w.apps.t1a);
  await assignUser(gw, su, w.t1b, u1b, w.apps.p1);

  const rotated = (await gqlAs(gw, su, 'mutation($id: ID!) { rotateApplicationSecret(id: $id) { clientId clientSecret } }', { id: w.apps.t1a })).rotateApplicationSecret;
  const mgmt = (
    await gqlAs(gw, su, 'mutation($t: ID!) { createManagementApplication(tenantId: $t, input: { name: "T1A Mgmt" }) { clientSecret application { id clientId } } }', { t: w.t1a })
  ).createManagementApplication;

  const tokens: Record<ViewerKey, string | undefined> = {
    super: su,
    pa1: await gw.token({ sub: 'pa1-admin', role: 'partner_admin', partner_id: w.p1, scope: RW }),
    pa2: await gw.token({ sub: 'pa2-admin', role: 'partner_admin', partner_id: w.p2, scope: RW }),
    ta1a: await gw.token({ sub: 'ta1a-admin', role: 'tenant_admin', tenant_id: w.t1a, scope: RW }),
    ta2: await gw.token({ sub: 'ta2-admin', role: 'tenant_admin', tenant_id: w.t2, scope: RW }),
    ro: await gw.token({ sub: 'readonly-admin', role: 'super_admin', scope: 'admin:read' }),
    app: await applicationToken(gw, rotated.clientId, rotated.clientSecret),
    mgmt: await applicationToken(gw, mgmt.application.clientId, mgmt.clientSecret),
    anon: undefined,
  };

  const names = new Map<string, string>([
    [w.p1, 'p1'],
    [w.p2, 'p2'],
    [w.t1a, 't1a'],
    [w.t1b, 't1b'],
    [w.t2, 't2'],
    [w.t0, 't0'],
    [u1a, 'u1a'],
    [u1b, 'u1b'],
    [u2, 'u2'],
    [u0, 'u0'],
    [g1a, 'g1a'],
    [g2, 'g2'],
    [mgmt.application.id, 'mgmtApp'],
    ...Object.entries(w.apps).map(([key, id]) => [id, `app:${key}`] as [string, string]),
  ]);
  return {
    ...w,
    su,
    u1a,
    u1b,
    u2,
    u0,
    g1a,
    g2,
    mgmtApp: mgmt.application.id,
    tokens,
    credentials: {
      app: { clientId: rotated.clientId, clientSecret: rotated.clientSecret },
      mgmt: { clientId: mgmt.application.clientId, clientSecret: mgmt.clientSecret },
    },
    sym: (id) => (id == null ? null : (names.get(id) ?? `?${id}`)),
  };
}

export { ok };

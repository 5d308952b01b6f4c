import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { startTestGateway, type TestGateway } from './support/harness.js';
import { addMember, assignGroup, assignUser, createApplication, createGroup, createTenant, createUser, gqlAs } from './support/world.js';

/**
 * examples/sync/sync.ts (docs/sync.md) run as a real client process against a listening test gateway,
 * with the application's own token: full read, then (when the test says so on stdin, after its writes)
 * one poll. examples/ is an ES module package, so the script is transpiled as is and run by node.
 */
let gw: TestGateway;
let server: Server;
let baseUrl: string;
let dir: string;
beforeAll(async () => {
  gw = await startTestGateway();
  server = createServer(gw.gateway.listener).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'idgraph-sync-'));
  const source = readFileSync(join(__dirname, '..', 'examples', 'sync', 'sync.ts'), 'utf8');
  writeFileSync(join(dir, 'sync.mjs'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

const DRIVER = `
import { createInterface } from 'node:readline';
import { fullRead, poll } from './sync.mjs';
const [baseUrl, token, applicationId] = process.argv.slice(2);
const state = await fullRead(baseUrl, token, applicationId);
console.log(JSON.stringify({ read: [...state.users.keys()] }));
const input = createInterface({ input: process.stdin });
for await (const _line of input) {
  await poll(baseUrl, token, applicationId, state);
  console.log(JSON.stringify({ polled: [...state.users.keys()] }));
}
`;

it('full read, then a poll that follows grants and revocations: the client ends with the effective users', async () => {
  const su = await gw.superToken();
  const tenant = await createTenant(gw, su, 'Sync');
  const app = await createApplication(gw, su, { name: 'Synced app', scope: 'GLOBAL' });
  const token = (await gw.http.post('/oauth/token').send({ grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret }).expect(200)).body
    .access_token;
  const users: string[] = [];
  for (let i = 0; i < 130; i++) users.push(await createUser(gw, su, tenant, `sync${String(i).padStart(3, '0')}@sync.test`));
  const group = await createGroup(gw, su, tenant, 'everyone');
  for (const user of users.slice(0, 120)) await addMember(gw, su, tenant, group, user);
  await assignGroup(gw, su, tenant, group, app.id);

  writeFileSync(join(dir, 'driver.mjs'), DRIVER);
  const child = spawn(process.execPath, [join(dir, 'driver.mjs'), baseUrl, token, app.id], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = JSON.parse((await lines.next()).value).read as string[];
  expect(read.sort()).toEqual(users.slice(0, 120).sort()); // two pages of 100

  await assignUser(gw, su, tenant, users[125], app.id);
  await gqlAs(gw, su, 'mutation($t: ID!, $g: ID!, $u: ID!) { removeGroupMember(tenantId: $t, groupId: $g, userId: $u) }', { t: tenant, g: group, u: users[0] });
  child.stdin.write('poll\n');
  const polled = JSON.parse((await lines.next()).value).polled as string[];
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));

  const effective = await gqlAs(
    gw,
    su,
    'query($a: ID!) { a: effectiveUsers(applicationId: $a, perPage: 100) { items { id } } b: effectiveUsers(applicationId: $a, perPage: 100, page: 2) { items { id } } }',
    { a: app.id },
  );
  expect(polled.sort()).toEqual([...effective.a.items, ...effective.b.items].map((i: { id: string }) => i.id).sort());
  expect(polled).toContain(users[125]);
  expect(polled).not.toContain(users[0]);
});

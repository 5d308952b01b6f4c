import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import autocannon from 'autocannon';
import express from 'express';
import { TYPENAME_QUERY } from './baseline.js';

/**
 * `node dist/scripts/bench/ceiling.js [seconds]`: what `{ __typename }` costs on this machine with no
 * gateway code at all, measured like `npm run bench` (16 connections, CPU time of the server process
 * per request): plain node:http, bare express 5 with its JSON body parser, bare Apollo Server 5 behind
 * express 5 (landing page off, no plugins, no middleware), and the same Apollo Server on plain node:http
 * (as the gateway serves POST /graphql: src/http/graphql-endpoint.ts). The gateway cannot beat the last.
 */
const KINDS = ['node:http', 'express', 'apollo+express', 'apollo+node:http'] as const;
type Kind = (typeof KINDS)[number];

async function serve(kind: Kind): Promise<Server> {
  const answer = '{"data":{"__typename":"Query"}}\n';
  if (kind === 'node:http') {
    return createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        JSON.parse(body);
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(answer);
      });
    });
  }
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', plugins: [ApolloServerPluginLandingPageDisabled()], csrfPrevention: false });
  await apollo.start();
  if (kind === 'apollo+node:http') {
    return createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
        const httpGraphQLRequest = { method: 'POST', headers, search: '', body: JSON.parse(body) as unknown };
        void apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => ({}) }).then((response) => {
          for (const [key, value] of response.headers) res.setHeader(key, value);
          res.statusCode = response.status ?? 200;
          res.end(response.body.kind === 'complete' ? response.body.string : '');
        });
      });
    });
  }
  const app = express();
  if (kind === 'express') {
    app.post('/graphql', express.json(), (_req, res) => void res.json({ data: { __typename: 'Query' } }));
    return createServer(app);
  }
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  return createServer(app);
}

const cpuMsOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function main(): Promise<void> {
  const [mode, arg] = process.argv.slice(2);
  if (mode === 'serve') {
    const server = await serve(arg as Kind);
    server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
    return;
  }
  const duration = Number(mode ?? 10);
  for (const kind of KINDS) {
    const child = spawn(process.execPath, [__filename, 'serve', kind], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
    const port = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
    const options = {
      url: `http://127.0.0.1:${port}/graphql`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: 'Bearer unused' },
      body: JSON.stringify({ query: TYPENAME_QUERY }),
      connections: 16,
    };
    await autocannon({ ...options, duration: 2 });
    const before = cpuMsOf(child.pid!);
    const result = await autocannon({ ...options, duration });
    const cpu = (cpuMsOf(child.pid!) - before) / result.requests.total;
    console.log(`${kind.padEnd(15)} ${Math.round(result.requests.average)} req/s  p50 ${result.latency.p50} ms  CPU ${cpu.toFixed(3)} ms/req`);
    child.kill();
  }
}

void main();

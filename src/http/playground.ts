import { dirname, join } from 'node:path';
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config.js';

/** Browser bundles from npm packages (UMD builds: no bundler, no CDN, works offline). */
function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

const ASSETS: Record<string, { file: string; type: string }> = {
  'react.production.min.js': { file: join(packageDir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript' },
  'react-dom.production.min.js': { file: join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.min.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.min.css': { file: join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

/** How to get a token where this server runs: the built CLI in production images (docker compose), npm elsewhere. */
export function tokenCommand(config: Pick<Config, 'production'>): string {
  return config.production ? 'docker compose exec gateway node dist/scripts/token.js --role super_admin' : 'npm run token -- --role super_admin';
}

export function exampleQuery(config: Pick<Config, 'production' | 'playgroundToken'>): string {
  const tokenLines = config.playgroundToken
    ? '# Headers (below) holds the bearer token sent with each request.'
    : `# Requests need a token: add {"Authorization": "Bearer <token>"} in Headers (below);\n# mint one with: ${tokenCommand(config)}`;
  return `# Welcome to idgraph's playground.
${tokenLines}
# Run the query with the ▶ button or Ctrl-Enter.

query TenantsWithApplications {
  tenants(perPage: 10) {
    pagination { totalItems }
    items {
      name
      partner { name }
      availableApplications(perPage: 10) {
        items { name scope applicationType }
      }
    }
  }
}
`;
}

/** JSON safe to embed in a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function page(config: Config): string {
  // Without a token to prefill, no header at all: a placeholder would be sent as is and fail with 401.
  const headers = config.playgroundToken ? JSON.stringify({ Authorization: `Bearer ${config.playgroundToken}` }, null, 2) : '';
  const settings = { defaultQuery: exampleQuery(config), headers };
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>idgraph · GraphQL playground</title>
  <link rel="stylesheet" href="/playground/assets/graphiql.min.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground…</div>
  <script src="/playground/assets/react.production.min.js"></script>
  <script src="/playground/assets/react-dom.production.min.js"></script>
  <script src="/playground/assets/graphiql.min.js"></script>
  <script>
    const settings = ${scriptJson(settings)};
    // Read-your-writes with replicas: send back the WAL position of this tab's last write.
    let consistency;
    const consistentFetch = async (url, init) => {
      const headers = new Headers(init && init.headers);
      if (consistency) headers.set('X-Idgraph-Consistency', consistency);
      const response = await fetch(url, { ...init, headers });
      consistency = response.headers.get('X-Idgraph-Consistency') || consistency;
      return response;
    };
    const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString(), fetch: consistentFetch });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: settings.defaultQuery,
        // Shown open so that the token is visible and easy to replace.
        headers: settings.headers,
        defaultEditorToolsVisibility: 'headers',
        shouldPersistHeaders: false,
      }),
    );
  </script>
</body>
</html>`;
}

/** A GET /graphql from a browser (HTML preferred over JSON, no query in the URL). API clients go on to Apollo. */
function wantsPage(req: Request): boolean {
  if (req.query.query !== undefined) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/** The GraphQL playground for browsers at GET /graphql and /playground (served from npm assets, offline). */
export function createPlaygroundRouter(config: Config): Router {
  const router = Router();
  if (!config.playground) return router;
  const send = (_req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(page(config));
  };
  router.get('/playground', send);
  router.get('/graphql', (req, res, next) => (wantsPage(req) ? send(req, res) : next()));
  router.get('/playground/assets/:name', (req, res, next) => {
    const asset = ASSETS[req.params.name];
    if (!asset) return next();
    res.type(asset.type);
    res.sendFile(asset.file, { maxAge: '1d' });
  });
  return router;
}

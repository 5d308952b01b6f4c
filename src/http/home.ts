import { Router } from 'express';
import type { Config } from '../config.js';

/** Where to go from `GET /`: the same links as JSON for API clients, as a small page for browsers. */
export function createHomeRouter(config: Config): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const links: [string, string, string][] = [
      ['graphql', '/graphql', 'GraphQL endpoint (POST, or GET for queries)'],
      ...(config.playground ? [['playground', '/playground', 'GraphQL playground (GraphiQL) in the browser'] as [string, string, string]] : []),
      ['restDocs', '/docs', 'REST API reference (Swagger UI)'],
      ['openapi', '/openapi.json', 'OpenAPI document of the REST routes'],
      ['health', '/healthz', 'liveness'],
      ['readiness', '/readyz', 'readiness (database answers)'],
      ['metrics', '/metrics', 'Prometheus metrics'],
    ];
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/html']) === 'text/html') {
      const items = links.map(([, href, what]) => `    <li><a href="${href}">${href}</a> — ${what}</li>`).join('\n');
      res.type('html').send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>idgraph</title></head>
<body>
  <h1>idgraph</h1>
  <p>A GraphQL gateway over a multi-tenant identity model, with a REST compatibility layer. Requests need <code>Authorization: Bearer &lt;token&gt;</code>.</p>
  <ul>
${items}
  </ul>
</body>
</html>`);
      return;
    }
    res.json({ service: 'idgraph', links: Object.fromEntries(links.map(([name, href]) => [name, href])) });
  });
  return router;
}

import { createRequire } from 'node:module';
import express, { Router } from 'express';

/** Swagger UI from the swagger-ui-dist package (no CDN), reading /openapi.json. */
export function createDocsRouter(): Router {
  // The path helper alone: the package's index evaluates its 1.4 MB browser bundles in Node (about
  // 27 MiB of RSS and a tenth of a second of startup for nothing: the bundles are only served as files).
  const assets = (createRequire(__filename)('swagger-ui-dist/absolute-path.js') as () => string)();
  const router = Router();
  router.use('/docs/assets', express.static(assets, { index: false, maxAge: '1h' }));
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });\n");
  });
  router.get(['/docs', '/docs/'], (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>idgraph REST API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`);
  });
  return router;
}

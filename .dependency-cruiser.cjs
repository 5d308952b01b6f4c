/**
 * Dependency rules (issue 10): no import circles, and imports only point down the layers below.
 * Run with `npm run lint:deps` (a CI step right after the typecheck).
 *
 * Layers, lowest first. A file may import files of its own layer and of the layers below it, never above:
 *
 *   config   src/config.ts, data-dir.ts, env-file.ts, tracing.ts: settings read from the environment
 *   common   src/common/: errors, paging, input checks, ids, the ID scalar, base entity classes
 *   model    src/modules/<m>/*.entity.ts, *.fields.ts, *.sql.ts (+ tenant.settings.ts, the tenant entity's
 *            JSON column): table definitions and the field rules declared once per module, needed by the
 *            ORM's entity registry, the migrations, the services and the REST schemas
 *   db       src/db/: ORM, migrations, query helpers, locks, read replicas
 *   auth     src/auth/ (not its resolver): tokens, Viewer, visibility (the SQL of "who sees what"), rights,
 *            the shield map (which reads only the caller, so it needs no GraphQL context type)
 *   modules  src/modules/ (not entities, SQL or resolvers): services, loaders, the loader kit, the
 *            data-only RequestContext, the OAuth router and the idempotency middleware
 *   graphql  src/graphql/ and every *.resolver.ts: schema, the request's composition root
 *            (request-scope.ts), the GraphQL context, errors, cost
 *   rest     src/rest/: the REST routes, which execute GraphQL documents
 *   http     src/http/: the express app that mounts GraphQL and REST
 *   app      src/main.ts, src/app/ (demo data, written through the services), scripts/
 *
 * Type-only imports count too (tsPreCompilationDeps): a type imported from above is still a
 * dependency on that layer's shape, and it is how the old context circle was hidden.
 */
const layers = [
  { name: 'config', path: '^src/(config|data-dir|env-file|tracing)\\.ts$' },
  { name: 'common', path: '^src/common/' },
  { name: 'model', path: '^src/modules/[^/]+/([^/]+\\.(entity|fields|sql)|tenant\\.settings)\\.ts$' },
  { name: 'db', path: '^src/db/' },
  { name: 'auth', path: '^src/auth/', pathNot: '\\.resolver\\.ts$' },
  { name: 'modules', path: '^src/modules/', pathNot: '(\\.resolver|\\.entity|\\.fields|\\.sql|/tenant\\.settings)\\.ts$' },
  { name: 'graphql', path: '^src/graphql/|^src/.+\\.resolver\\.ts$' },
  { name: 'rest', path: '^src/rest/' },
  { name: 'http', path: '^src/http/' },
  { name: 'app', path: '^src/main\\.ts$|^src/app/|^scripts/' },
];

const upward = [];
layers.forEach((from, i) => {
  layers.slice(i + 1).forEach((to) => {
    upward.push({
      name: `no-upward-${from.name}-to-${to.name}`,
      comment: `${from.name} sits below ${to.name}: it must not import it (see the layers at the top of .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: from.path, ...(from.pathNot ? { pathNot: from.pathNot } : {}) },
      to: { path: to.path, ...(to.pathNot ? { pathNot: to.pathNot } : {}) },
    });
  });
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle: modules that can only be understood (and loaded) together.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unlayered',
      comment: 'Every source file belongs to a layer: add a new top-level folder to the layers above.',
      severity: 'error',
      from: { path: '^src/', pathNot: layers.map((l) => `(${l.path})`).join('|') },
      to: {},
    },
    ...upward,
  ],
  options: {
    includeOnly: '^(src|scripts)/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

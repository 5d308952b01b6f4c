import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Issue 10: services and loaders read rows only through the visibility module (src/auth/visibility.ts:
 * `visibleUsers(knex, viewer)`, `visibleApplications(...)`, ...), so a new query cannot forget who may
 * see what. This scans their sources for direct reads of a table and fails with file:line for any that
 * is not in the allow-list below.
 *
 * Flagged: `knex('<table>`, `getKnex()('<table>`, `.from('<table>`, `em.find*(`/`em.count(`/`em.native*(`,
 * and `from|join|update|into <table>` inside SQL strings. Joins in a query built on a visible builder
 * are not flagged: they are restricted by the visible rows they join to.
 */
const ROOT = join(__dirname, '..', '..');
const SCANNED = /\.(service|loaders)\.ts$/;
const TABLES = 'partner|tenant|app_user|user_group|group_member|application|application_secret|app_assignment|audit_event|effective_access|effective_access_count|access_change';
const READS: RegExp[] = [
  /(?:knex|getKnex\(\))\s*\(\s*['"`][a-z_]+/,
  /\.from\(\s*['"`][a-z_]+/,
  /\bem\.(?:find|findOne|findOneOrFail|findAndCount|findAll|count|nativeDelete|nativeUpdate)\(/,
  new RegExp(`\\b(?:from|join|update|into)\\s+(?:${TABLES})\\b`),
];

/**
 * Group names of index rows (pages and previews) come from `viaGroupsJson` of
 * src/modules/assignment/effective-access.sql.ts, with the index's other SQL: it reads `user_group` by the
 * `group_ids` of rows that were read through visibleEffectiveAccess (or found through visibility) first.
 *
 * Direct table access that is legitimate, each with why. `file` is relative to src/modules, `line` a
 * substring of the source line (line numbers move; the text says what is allowed).
 */
const ALLOWED: { file: string; line: string; why: string }[] = [
  // Writes and locks inside a transaction, after the row they change was found through visibility (getIn/findForWrite).
  { file: 'group/group.service.ts', line: ".getKnex()('group_member').insert(", why: 'membership insert; group and user locked through visibility first' },
  { file: 'group/group.service.ts', line: 'em.nativeDelete(GroupMember,', why: 'membership delete; group found through visibility first' },
  { file: 'assignment/assignment.service.ts', line: "knex('app_assignment')", why: 'assignment insert; user/group and applications found through visibility first' },
  { file: 'assignment/assignment.service.ts', line: 'em.find(AppAssignmentRow,', why: 'reads back the rows this request just inserted or kept' },
  { file: 'assignment/assignment.service.ts', line: 'em.nativeDelete(AppAssignmentRow,', why: 'unassign; application found through visibility first' },
  {
    file: 'application/application.service.ts',
    line: 'em.nativeDelete(AppAssignmentRow, { applicationId: id })',
    why: 'application delete removes its assignments; application locked through visibility',
  },
  {
    file: 'application/application.service.ts',
    line: "em.getKnex()('application_secret').select('*').where('id', secretId).forUpdate()",
    why: 'locks a secret of an application found through visibility',
  },
  { file: 'application/application.service.ts', line: "em.getKnex()('application_secret').update(", why: 'revokes that secret' },
  {
    file: 'partner/partner.service.ts',
    line: "em.getKnex()('tenant').count(",
    why: 'delete check: live tenants of a partner locked through visibility, whoever may see them (SPEC §1)',
  },
  // Restores: the owner's liveness, locked FOR SHARE in lock order, after the row was found through visibility minus liveness.
  { file: 'application/application.service.ts', line: "knex('partner').select('deleted_at').where('id', found.partner_id).forShare()", why: 'restore: owner partner must be live' },
  { file: 'application/application.service.ts', line: "knex('tenant').select('deleted_at').where('id', found.tenant_id).forShare()", why: 'restore: owner tenant must be live' },
  { file: 'tenant/tenant.service.ts', line: "knex('partner').select('deleted_at').where('id', found.partner_id).forShare()", why: 'restore: owner partner must be live' },
  { file: 'tenant/tenant.service.ts', line: "knex('tenant').select('slug').whereNull('deleted_at')", why: 'free slug: slugs are unique among all live tenants, visible or not' },
  // Filters inside a query built on a visible builder (they narrow it, they read no rows of their own).
  {
    file: 'application/application.service.ts',
    line: "orWhereIn('a.tenant_id', knex('tenant').select('id').where('partner_id', partnerId))",
    why: 'partnerId filter of visibleApplications',
  },
  {
    file: 'assignment/assignment.loaders.ts',
    line: ".from('app_assignment as d')",
    why: 'User.applications of users loaded through visibility; applications filtered by whereApplicationVisible',
  },
  { file: 'assignment/assignment.loaders.ts', line: ".from('app_assignment as ga')", why: 'the same, through groups' },
  {
    file: 'assignment/assignment.loaders.ts',
    line: "const qb = knex('app_assignment as x')",
    why: 'Group.applications of groups loaded through visibility; applications filtered by whereApplicationVisible',
  },
  // Access insight (issue 11): the user and application were found through reachableUsers/applicationsInReach/visible* first.
  { file: 'access/access.service.ts', line: "this.ctx.knex('access_change').max(", why: 'feed end of an application found through visibility (no rows read)' },
  { file: 'access/access.service.ts', line: 'delete from access_change where created_at <', why: 'retention prune' },
  {
    file: 'access/access.service.ts',
    line: "knex('app_assignment').select('created_at').where({ application_id: applicationId, user_id: userId })",
    why: 'explain: direct assignment of a found user',
  },
  { file: 'access/access.service.ts', line: "knex('group_member as m')", why: 'explain: groups of a found user' },
  {
    file: 'access/access.service.ts',
    line: "knex('app_assignment').select('id').where({",
    why: 'preview: the assignment of a found user/group',
  },
  { file: 'access/access.service.ts', line: "knex('group_member').select('user_id').where({ group_id: change.groupId", why: 'preview: membership of a found user and group' },
  { file: 'access/access.service.ts', line: 'from effective_access ea where', why: 'preview: index rows of a found user/group/application' },
  { file: 'access/access.service.ts', line: 'join application a on a.id = ', why: 'preview: names of the touched rows' },
  { file: 'access/access.service.ts', line: 'join app_user u on u.id = p.user_id', why: 'preview: emails of the touched rows' },
  { file: 'access/access.service.ts', line: 'join tenant tn on tn.id = p.tenant_id', why: 'preview: tenant names of the touched rows' },
];

function scannedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return scannedFiles(path);
    return SCANNED.test(entry.name) ? [path] : [];
  });
}

describe('services and loaders read through the visibility module', () => {
  const modules = join(ROOT, 'src', 'modules');
  const used = new Set<(typeof ALLOWED)[number]>();
  const found: string[] = [];
  for (const path of scannedFiles(modules)) {
    const file = relative(modules, path);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, index) => {
      // Comments name tables without reading them.
      if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
      // A call chain split over lines (as Prettier writes it) is read as one line: `knex('t')` + `.select(…)`.
      let text = line;
      for (let next = index + 1; next < lines.length && lines[next].trim().startsWith('.'); next += 1) text += lines[next].trim();
      if (!READS.some((pattern) => pattern.test(text))) return;
      const allowed = ALLOWED.find((entry) => entry.file === file && text.includes(entry.line));
      if (allowed) used.add(allowed);
      else found.push(`src/modules/${file}:${index + 1}: ${text.trim()}`);
    });
  }

  it('scans the services and loaders', () => {
    expect(scannedFiles(modules).length).toBeGreaterThan(10);
  });

  it('has no direct table read outside the allow-list (use a builder of src/auth/visibility.ts, or allow it here with a reason)', () => {
    expect(found).toEqual([]);
  });

  it('has no stale allow-list entry', () => {
    expect(ALLOWED.filter((entry) => !used.has(entry)).map((entry) => `${entry.file}: ${entry.line}`)).toEqual([]);
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEMO_IDS, loadDemoData } from '../../src/app/demo-data.js';
import { startTestGateway } from '../support/harness.js';

/** The README and docs link only to files of this repository, and the documented demo ids are the ones loaded. */
const ROOT = join(__dirname, '..', '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

describe('docs', () => {
  it.each(DOCS)('%s links only to files inside the repository', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((href) => !/^(https?:|mailto:|#)/.test(href));
    for (const href of links) {
      const target = resolve(ROOT, dirname(doc), href.split('#')[0]);
      expect([href, relative(ROOT, target).startsWith('..')]).toEqual([href, false]);
      expect([href, existsSync(target)]).toEqual([href, true]);
    }
  });

  it('lists the demo ids that loading the demo data creates', async () => {
    const table = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    const rows = [...table.matchAll(/^\| (partner|tenant|application|user|group) (\S+(?: \S+)*?)(?: \(.*\))? \| `([0-9a-f-]{36})` \|$/gm)];
    expect(rows.length).toBe(20);
    const tg = await startTestGateway();
    try {
      const demo = await loadDemoData(tg.db.orm);
      expect(demo).toEqual(DEMO_IDS);
      const em = tg.db.orm.em.fork();
      const tables = {
        partner: ['partner', 'name'],
        tenant: ['tenant', 'name'],
        application: ['application', 'name'],
        user: ['app_user', 'email'],
        group: ['user_group', 'name'],
      } as const;
      for (const [, kind, name, id] of rows) {
        const [table, column] = tables[kind as keyof typeof tables];
        const found = await em.execute(`select ${column} as name from ${table} where id = ?`, [id]);
        expect([kind, id, found[0]?.name]).toEqual([kind, id, name]);
      }
    } finally {
      await tg.close();
    }
  });
});

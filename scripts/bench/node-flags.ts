import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node flags of `npm start` (package.json), e.g. `--max-old-space-size=1024`: benches start the
 * built gateway with them, so that they measure it as it runs in production, and the flags are
 * written in one place.
 */
export function startNodeFlags(root: string): string[] {
  const file = join(root, 'package.json');
  if (!existsSync(file)) return [];
  const { scripts } = JSON.parse(readFileSync(file, 'utf8')) as { scripts: Record<string, string> };
  const words = (scripts.start ?? '').split(/\s+/);
  const node = words.indexOf('node');
  const flags: string[] = [];
  for (const word of node < 0 ? [] : words.slice(node + 1)) {
    if (!word.startsWith('--')) break;
    flags.push(word);
  }
  return flags;
}

import { readFileSync } from 'node:fs';

/**
 * `node dist/scripts/bench/profile-summary.js file.cpuprofile [top]`: where a `node --cpu-prof`
 * profile spent its time — self time per function and per package (node_modules/<name>, our code,
 * node internals), as shares of the sampled time.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native / gc / idle)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1];
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(dist\/)?(src|scripts)\/(.*)$/.exec(url);
  return own ? `idgraph ${own[2]}/${own[3].split('/')[0]}` : url;
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  let idle = 0;
  const perFunction = new Map<string, number>();
  const perPackage = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += functionName === '(idle)' ? time : 0;
    }
    if (functionName === '(idle)') continue;
    total += time;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist\/)?(src|scripts)\//, '$2/')}:${lineNumber + 1}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + time);
    const pkg = functionName === '(garbage collector)' ? '(garbage collector)' : packageOf(url);
    perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + time);
  }
  const show = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, time] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((time / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  // Inclusive time: a sample counts once for every distinct function on its stack.
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nameOf = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist\/)?(src|scripts)\//, '$2/')}:${node.callFrame.lineNumber + 1}`;
  const inclusive = new Map<string, number>();
  for (const [id, time] of selfTime) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) seen.add(nameOf(byId.get(at)!));
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + time);
  }
  console.log(`busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
  show('self time by package', perPackage);
  show('self time by function', perFunction);
  show('inclusive time by function', inclusive);
}

main();

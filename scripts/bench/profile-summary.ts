import { readFileSync } from 'node:fs';

/**
 * Where a V8 CPU profile (.cpuprofile, from BENCH_PROFILE=1) spent its time: self time per function and per
 * package or source folder, the top entries of each. Usage: tsx scripts/bench/profile-summary.ts <file> [n]
 */
type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('Usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/.next/'))
    return `.next/${url.split('/.next/')[1]!.split('/').slice(0, 3).join('/')}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '').replace(process.cwd(), '.');
};

const functions = new Map<string, number>();
const places = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const frame = byId.get(id)!.callFrame;
  const place = where(frame.url);
  const fn = `${frame.functionName || '(anonymous)'}  ${place}:${frame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + ms);
  places.set(place, (places.get(place) ?? 0) + ms);
}
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, ms] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`,
    );
};
console.log(`${file}: ${total.toFixed(0)} ms sampled`);
print('Self time by package or folder', places);
print('Self time by function', functions);

// A third argument names a function: where its self time was called from (five frames up, heaviest first).
const callersOf = process.argv[4];
if (callersOf) {
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const stacks = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    if (byId.get(id)!.callFrame.functionName !== callersOf) continue;
    const frames: string[] = [];
    for (let at = parent.get(id); at !== undefined && frames.length < 5; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      frames.push(`${f.functionName || '(anonymous)'} ${where(f.url)}:${f.lineNumber + 1}`);
    }
    const key = frames.join('  <  ');
    stacks.set(key, (stacks.get(key) ?? 0) + ms);
  }
  print(`Callers of ${callersOf}`, stacks);
}

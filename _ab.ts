// A/B in one process: the clusterer of main (/tmp/h21-base) and of this branch, alternately, on
// bench/cluster.ts's stream; CPU time per run (process.cpuUsage).
import { loadEcb } from './bench/common.js';
const New = (await import('./src/cluster/online.ts')).OnlineClusterer;
const Old = (await import('/tmp/h21-base/src/cluster/online.ts')).OnlineClusterer;
const n = Number(process.argv[2] ?? 10000);
const rows = loadEcb();
const byStory = new Map<string, string[]>();
for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r.text]);
const stories = [...byStory.values()];
const inputs: { id: string; text: string; published: string }[] = [];
const base = Date.UTC(2020, 0, 1);
for (let i = 0, s = 0; i < n; s++) {
  const src = stories[s % stories.length]!;
  const marker = `Zorv${s.toString(36)}`;
  const round = Math.floor(s / stories.length);
  const day = base + s * 43_200_000 + round * 365 * 86_400_000;
  for (let k = 0; k < src.length && i < n; k++, i++) inputs.push({ id: `x${i}`, text: `${marker} ${src[k]} ${marker} Kel${marker}.`, published: new Date(day + k * 3_600_000 * 4).toISOString() });
}
const run = (C: typeof New): number => {
  (globalThis as { gc?: () => void }).gc?.();
  const t = process.cpuUsage();
  const c = new C();
  for (const x of inputs) c.add(x);
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1e6;
};
const times: Record<string, number[]> = { old: [], new: [] };
run(Old); run(New); // warm-up
for (let r = 0; r < Number(process.argv[3] ?? 4); r++) {
  if ((r + Number(process.argv[4] ?? 0)) % 2 === 0) {
    times.old!.push(run(Old));
    times.new!.push(run(New));
  } else {
    times.new!.push(run(New));
    times.old!.push(run(Old));
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify(times), 'median old', med(times.old!).toFixed(2), 'new', med(times.new!).toFixed(2), 'ratio new/old', (med(times.new!) / med(times.old!)).toFixed(3));

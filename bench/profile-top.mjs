// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package/file.
// Usage: node bench/profile-top.mjs bench/profiles/<file>.cpuprofile [top=30]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i]);
  self.set(n.id, (self.get(n.id) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fnAgg = new Map();
const fileAgg = new Map();
for (const [id, t] of self) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|src)\//, '$1/');
  const fk = `${functionName || '(anon)'} ${where}:${lineNumber + 1}`;
  fnAgg.set(fk, (fnAgg.get(fk) ?? 0) + t);
  const pk = url.includes('node_modules/') ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1') : url.startsWith('node:') ? url : url ? where : functionName;
  fileAgg.set(pk, (fileAgg.get(pk) ?? 0) + t);
}
const top = Number(topArg ?? 30);
const show = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, t]) => console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`));
console.log(`total ${(total / 1e6).toFixed(2)} s sampled\n-- by function (self) --`);
show(fnAgg);
console.log('-- by package / file (self) --');
show(fileAgg);

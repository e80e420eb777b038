// CPU per item of pipeline.run for one ~1 KiB plain-JSON item, produce resolving at once: the hot path with
// nothing of the registry set, to compare two builds (issue 25: "nothing set costs nothing more").
// Usage: node bench/pipeline-run.mjs <dist dir>   e.g. dist, and a build of main in another directory
import { pathToFileURL } from 'node:url';
const dist = process.argv[2];
const { createPipeline } = await import(pathToFileURL(`${dist}/src/pipeline/pipeline.js`).href);
const limits = { bodyBytes: 1 << 20, batchItems: 10000, keyBytes: 4096, headersCount: 64, headerValueBytes: 8192 };
const ack = { partition: 0, offset: 1 };
const p = createPipeline({ limits, source: 'kgate', validate: () => {}, produce: () => Promise.resolve(ack), log: { error() {} } });
const raw = { topic: 'bench', key: 'k', message: { user_id: 123, action: 'login', data: 'x'.repeat(900) } };
const ctx = { requestId: 'r', receivedAt: new Date() };
async function measure(n) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await p.run([raw], ctx);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / n;
}
await measure(50000);
const runs = [];
for (let i = 0; i < 5; i++) runs.push(await measure(200000));
console.log(dist, 'best', Math.min(...runs).toFixed(3), 'µs/item; runs', runs.map((r) => r.toFixed(2)).join(' '));

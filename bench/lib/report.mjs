// The table `npm run bench` prints: min–median–max over the rounds, and the ratios of issue 15.

function fmt(values, digits = 0) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return '–';
  const f = (x) => x.toLocaleString('en', { maximumFractionDigits: digits });
  const med = v[Math.floor((v.length - 1) / 2)];
  return v.length === 1 ? f(med) : `${f(v[0])}–${f(med)}–${f(v.at(-1))}`;
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : NaN;
};

/** Servers whose CPU per request is compared with the Express ceiling's. */
const againstCeiling = (name) => name.startsWith('produce') || name.startsWith('bare') || name === 'raw';

export function printTable({ scenarios, results, rounds, seconds, connections, machine }) {
  const has = (name) => (results.get(name)?.length ?? 0) > 0;
  const med = (name, field) => median(results.get(name).map((r) => r[field]));
  console.log(`\n${new Date().toISOString().slice(0, 10)}, ${rounds} round(s) × ${seconds} s, ${connections} connections unless noted; ${machine}`);
  console.log('min–median–max over the rounds\n');
  console.log('| server | req/s or msgs/s | p50 ms | p99 ms | server CPU µs per request or message | × ceiling CPU | × hello-world CPU | peak RSS MiB | non-2xx |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const ceiling = has('express') ? med('express', 'cpu_us') : NaN;
  // The strict ceiling (express.json() + res.json({ok:true})): beside the usual one, so both ratios show.
  const hello = has('express-hello') ? med('express-hello', 'cpu_us') : NaN;
  for (const s of scenarios) {
    const rs = results.get(s.name);
    if (rs.length === 0) continue;
    const ratio = againstCeiling(s.name) && Number.isFinite(ceiling) ? (med(s.name, 'cpu_us') / ceiling).toFixed(2) : '';
    const helloRatio = (againstCeiling(s.name) || s.name === 'express') && Number.isFinite(hello) ? (med(s.name, 'cpu_us') / hello).toFixed(2) : '';
    console.log(`| ${s.label} | ${fmt(rs.map((r) => r.rate))} | ${fmt(rs.map((r) => r.p50))} | ${fmt(rs.map((r) => r.p99))} | ${fmt(rs.map((r) => r.cpu_us))} | ${ratio} | ${helloRatio} | ${fmt(rs.map((r) => r.rss))} | ${rs.reduce((a, r) => a + r.non2xx, 0)} |`);
  }
  const ratios = [];
  for (const n of ['produce', 'bare', 'bare-headers']) {
    if (has(n) && has('express')) ratios.push(`${n} throughput ${(med(n, 'rate') / med('express', 'rate')).toFixed(2)}× the ceiling's, CPU per request ${(med(n, 'cpu_us') / ceiling).toFixed(2)}×`);
    if (has(n) && has('express-hello')) ratios.push(`${n} throughput ${(med(n, 'rate') / med('express-hello', 'rate')).toFixed(2)}× the strict hello-world's, CPU per request ${(med(n, 'cpu_us') / hello).toFixed(2)}×`);
  }
  for (const n of ['batch', 'ndjson', 'rdkafka']) {
    if (has(n) && has('kcat')) ratios.push(`${n} ${(med(n, 'rate') / med('kcat', 'rate')).toFixed(2)}× kcat's msgs/s`);
  }
  if (has('batch') && has('rdkafka')) ratios.push(`batch ${(med('batch', 'rate') / med('rdkafka', 'rate')).toFixed(2)}× node-rdkafka's own msgs/s`);
  if (ratios.length) console.log(`\nratios (medians): ${ratios.join('; ')}`);
}

/** --paired: each scenario against the `/produce` server loaded beside it, round by round. */
export function printPaired({ scenarios, results }) {
  console.log('\n| scenario | paired with `/produce` in the same window: median (min–max) | rounds |');
  console.log('|---|---|---|');
  for (const s of scenarios) {
    const ratios = (results.get(s.name) ?? []).map((r) => r.paired).filter((x) => Number.isFinite(x));
    if (ratios.length === 0) continue;
    const sorted = [...ratios].sort((a, b) => a - b);
    const mid = sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    console.log(`| ${s.label} | ${mid.toFixed(3)}× (${sorted[0].toFixed(2)}–${sorted.at(-1).toFixed(2)}) | ${ratios.join(', ')} |`);
  }
}

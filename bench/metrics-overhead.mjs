// What metrics and the access log cost on the produce path: the built gateway (dist/) with
// METRICS_ENABLED / ACCESS_LOG off and on, alternating in one run against the same broker, same load.
// Usage: npm run build && node bench/metrics-overhead.mjs [--rounds 2 --seconds 10 --connections 64]
// Prints one JSON line per run; docs/observability.md records results.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    port: { type: 'string', default: '18421' },
  },
});
const kafkaPort = process.env.KAFKA_PORT ?? '9092';
const port = Number(values.port);
const url = `http://127.0.0.1:${port}`;

execFileSync('bash', [path.join(root, 'scripts/kafka.sh'), 'start'], { stdio: 'inherit' });

const variants = [
  { name: 'metrics off, access log off', env: { METRICS_ENABLED: 'false', ACCESS_LOG: 'false' } },
  { name: 'metrics on, access log off', env: { METRICS_ENABLED: 'true', ACCESS_LOG: 'false' }, scrape: true },
  { name: 'metrics on, access log on', env: { METRICS_ENABLED: 'true', ACCESS_LOG: 'true' }, scrape: true },
];
const message = { user_id: 123, action: 'login', data: 'x'.repeat(900) }; // ~1 KiB record
const topic = `bench-metrics-${Date.now()}`;
const scenarios = [
  { name: 'produce-single-1KiB', path: '/produce', connections: Number(values.connections), body: JSON.stringify({ topic, key: 'user-123', message }) },
  {
    name: 'produce-batch-100x1KiB',
    path: '/produce/batch',
    items: 100,
    connections: Math.min(Number(values.connections), 16),
    body: JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ topic, key: `k${i % 10}`, message }))),
  },
];

async function startGateway(env) {
  // stdout to /dev/null: the access-log lines cost their formatting and a write, as in production.
  const child = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${kafkaPort}`, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('gateway did not become ready');
}

function load(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

for (let round = 1; round <= Number(values.rounds); round++) {
  for (const v of variants) {
    const child = await startGateway(v.env);
    // A Prometheus-like scraper, every second, while the load runs.
    const scraper = v.scrape ? setInterval(() => fetch(`${url}/metrics`).then((r) => r.text()).catch(() => {}), 1000) : undefined;
    for (const s of scenarios) {
      const r = await load({
        url: `${url}${s.path}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: s.body,
        connections: s.connections,
        duration: Number(values.seconds),
      });
      console.log(
        JSON.stringify({
          round,
          variant: v.name,
          scenario: s.name,
          connections: s.connections,
          req_per_s: Math.round(r.requests.average),
          msgs_per_s: Math.round(r.requests.average * (s.items ?? 1)),
          latency_ms: { p50: r.latency.p50, p99: r.latency.p99 },
          non_2xx: r.non2xx,
          errors: r.errors,
        }),
      );
    }
    clearInterval(scraper);
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

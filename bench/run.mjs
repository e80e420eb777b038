// The produce-path benchmark: the built gateway (dist/) against the local broker, acks=all.
// Usage: npm run bench [-- --seconds 10 --connections 64]
// Prints one JSON line per scenario; docs/benchmarks.md records results with the machine they ran on.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '64' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const kafkaPort = process.env.KAFKA_PORT ?? '9092';

execFileSync('bash', [path.join(root, 'scripts/kafka.sh'), 'start'], { stdio: 'inherit' });

async function startGateway(env = {}) {
  const child = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${kafkaPort}`, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Keep reading stdout for the child's whole life: a full pipe would block its logging, and so the gateway.
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = JSON.parse(line);
      if (entry.message !== 'gateway listening') return;
      resolve(entry.url);
      // From here on discard the access log unread, so parsing it costs the load generator nothing.
      lines.close();
      child.stdout.resume();
    });
    child.once('exit', () => reject(new Error('gateway did not start')));
  });
  return { child, url };
}

function load(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

const message = { user_id: 123, action: 'login', data: 'x'.repeat(900) }; // ~1 KiB record
const topic = `bench-${Date.now()}`;
const scenarios = [
  { name: 'produce-single-1KiB', path: '/produce', body: JSON.stringify({ topic, key: 'user-123', message }) },
  {
    name: 'produce-batch-100x1KiB',
    path: '/produce/batch',
    items: 100,
    body: JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ topic, key: `k${i % 10}`, message }))),
  },
];

const { child, url } = await startGateway({ LOG_LEVEL: 'info' });
const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.version}`;
for (const s of scenarios) {
  const r = await load({
    url: `${url}${s.path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: s.body,
    connections: s.items ? Math.min(connections, 16) : connections,
    duration: seconds,
  });
  const rps = r.requests.average;
  console.log(
    JSON.stringify({
      scenario: s.name,
      machine,
      connections: s.items ? Math.min(connections, 16) : connections,
      seconds,
      req_per_s: Math.round(rps),
      msgs_per_s: Math.round(rps * (s.items ?? 1)),
      latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99 },
      non_2xx: r.non2xx,
      errors: r.errors,
    }),
  );
}
child.kill('SIGTERM');
await once(child, 'exit');

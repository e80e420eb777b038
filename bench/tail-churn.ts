// Event-loop cost of opening and closing topic tails (issue 26, finding 6): one client opens and
// closes --tails tails (--parallel at a time) while /health is probed every 20 ms; prints /health
// latency percentiles and the event loop's longest delay, idle first, then under churn.
// Usage: KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 npx tsx bench/tail-churn.ts [--tails 300] [--parallel 4]
// Gateway and clients share this process (one event loop), as in the measurement.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { startGateway } from '../src/gateway.js';
import { createLogger } from '../src/logging/logger.js';

const { values } = parseArgs({ options: { tails: { type: 'string', default: '300' }, parallel: { type: 'string', default: '4' } } });
const tails = Number(values.tails);
const parallel = Number(values.parallel);
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
const topic = `bench-tail-${Date.now()}`;
const config = loadConfig({
  KAFKA_BOOTSTRAP_SERVERS: bootstrap,
  STATUS_TOPIC: `${topic}-status`,
  PORT: '0',
  HOST: '127.0.0.1',
  ACCESS_LOG: 'false',
  TAIL_MAX_CONCURRENT: String(Math.max(10, parallel)),
  TAIL_MAX_PER_CLIENT: String(Math.max(10, parallel)),
  TAIL_OPEN_PER_S: '1000',
});
const gw = await startGateway(config, createLogger('error', true));
await fetch(`${gw.url}/produce`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic, message: 1 }) });

async function probe(ms: number): Promise<{ p50: number; p90: number; max: number; loopMaxMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const times: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t = performance.now();
    await (await fetch(`${gw.url}/health`)).arrayBuffer();
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  h.disable();
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1));
  return { p50: at(0.5), p90: at(0.9), max: at(1), loopMaxMs: Number((h.max / 1e6).toFixed(1)) };
}

async function oneTail(): Promise<void> {
  const abort = new AbortController();
  const res = await fetch(`${gw.url}/topics/${topic}/events`, { signal: abort.signal });
  if (res.status !== 200) throw new Error(`tail answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  await reader.read(); // the ": tailing" comment: the consumer is assigned
  abort.abort();
  await reader.cancel().catch(() => {});
}

console.log('idle    ', await probe(3000));
let opened = 0;
const started = Date.now();
const churn = (async () => {
  const workers = Array.from({ length: parallel }, async () => {
    while (opened < tails) {
      opened++;
      await oneTail().catch((err: Error) => console.error(err.message));
      await new Promise((r) => setTimeout(r, 50)); // the slot is released once the consumer is closed
    }
  });
  await Promise.all(workers);
})();
const under = probe(15_000);
await churn;
console.log('churn   ', await under, { tails: opened, seconds: (Date.now() - started) / 1000 });
await gw.shutdown();
process.exit(0);

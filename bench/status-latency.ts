// Push latency of the status loop: a status event produced to the status topic (any Kafka
// client; here node-rdkafka) → an SSE client and a WebSocket client of the gateway receive it.
// Usage: KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 npx tsx bench/status-latency.ts [--events 200] [--gap-ms 20]
// Gateway and clients share this process (one event loop): figures include that, on a busy machine.
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { loadConfig } from '../src/config/config.js';
import { startGateway } from '../src/gateway.js';
import { KafkaProducer } from '../src/kafka/producer.js';
import { createLogger } from '../src/logging/logger.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200' }, 'gap-ms': { type: 'string', default: '20' } } });
const events = Number(values.events);
const gapMs = Number(values['gap-ms']);
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
const topic = `bench-latency-${Date.now()}`;
const log = createLogger('warn', true);
const config = loadConfig({ KAFKA_BOOTSTRAP_SERVERS: bootstrap, STATUS_TOPIC: topic, PORT: '0', HOST: '127.0.0.1', ACCESS_LOG: 'false' });
const gw = await startGateway(config, log);
const producer = await KafkaProducer.connect(config.kafka, log);

const submit = await fetch(`${gw.url}/submit-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'print(42)', language: 'python' }) });
const id = ((await submit.json()) as { request_id: string }).request_id;

const sentAt = new Map<string, number>();
const consumerAt = new Map<string, number>();
const sse: number[] = [];
const ws: number[] = [];
const fromConsumer: number[] = [];
gw.statusView.subscribe(id, (e, info) => {
  if (!info.replay && e.detail) consumerAt.set(e.detail, performance.now());
});

// SSE client
const res = await fetch(`${gw.url}/submissions/${id}/events`);
const reader = res.body!.getReader();
const decoder = new TextDecoder();
void (async () => {
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (!block.startsWith('data: ')) continue;
      const e = JSON.parse(block.slice(6));
      const t = sentAt.get(e.detail);
      if (t !== undefined) {
        sse.push(performance.now() - t);
        fromConsumer.push(performance.now() - consumerAt.get(e.detail)!);
      }
    }
  }
})();
// WebSocket client
const socket = new WebSocket(`${gw.url.replace('http:', 'ws:')}/ws?request_id=${id}`);
await new Promise((r) => socket.once('open', r));
socket.on('message', (data) => {
  const e = JSON.parse(String(data));
  const t = sentAt.get(e.detail);
  if (t !== undefined) ws.push(performance.now() - t);
});

await new Promise((r) => setTimeout(r, 500));
for (let i = 0; i < events; i++) {
  const detail = `step-${i}`;
  const value = Buffer.from(JSON.stringify({ request_id: id, status: 'PROCESSING', detail, updated_at: new Date().toISOString() }));
  sentAt.set(detail, performance.now());
  void producer.produce({ topic, key: id, value, headers: [], timestampMs: Date.now() });
  await new Promise((r) => setTimeout(r, gapMs));
}
await new Promise((r) => setTimeout(r, 2000));

const summary = (name: string, xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
  return { path: name, received: s.length, of: events, p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), max_ms: q(1) };
};
console.log(JSON.stringify(summary('produce → SSE client', sse)));
console.log(JSON.stringify(summary('produce → WebSocket client', ws)));
console.log(JSON.stringify(summary("gateway's consumer → SSE client", fromConsumer)));
socket.close();
await reader.cancel();
await producer.close(5000);
await gw.shutdown();
process.exit(0);

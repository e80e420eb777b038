// Webhook latency: a terminal status event produced to the status topic (node-rdkafka, as any
// worker could) → the signed webhook received by a local HTTP receiver (node:http), through the
// gateway's consumer group and delivery queue.
// Usage: KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 npx tsx bench/webhook-latency.ts [--events 200] [--gap-ms 20]
// Gateway, producer and receiver share this process (one event loop): figures include that.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { startGateway } from '../src/gateway.js';
import { KafkaProducer } from '../src/kafka/producer.js';
import { createLogger } from '../src/logging/logger.js';
import { verifyWebhookSignature } from '../src/webhooks/signature.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200' }, 'gap-ms': { type: 'string', default: '20' } } });
const events = Number(values.events);
const gapMs = Number(values['gap-ms']);
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
const secret = 'bench-webhook-secret-0123456789';
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let badSignatures = 0;
let received = 0;

const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received++;
    if (!verifyWebhookSignature(secret, body, req.headers['x-webhook-signature'] as string)) badSignatures++;
    const t = sentAt.get((JSON.parse(body) as { request_id: string }).request_id);
    if (t !== undefined) latencies.push(performance.now() - t);
    res.statusCode = 204;
    res.end();
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const topic = `bench-webhooks-${Date.now()}`;
const log = createLogger('warn', true);
const config = loadConfig({
  KAFKA_BOOTSTRAP_SERVERS: bootstrap,
  STATUS_TOPIC: topic,
  PORT: '0',
  HOST: '127.0.0.1',
  ACCESS_LOG: 'false',
  WEBHOOK_URL: hookUrl,
  WEBHOOK_SECRET: secret,
  WEBHOOK_CONSUMER_GROUP: `bench-webhooks-${Date.now()}`,
});
const gw = await startGateway(config, log);
const producer = await KafkaProducer.connect(config.kafka, log);

// Warm-up: the first event waits for the group to be joined; it is not counted.
const publish = async (id: string) => {
  const value = { request_id: id, status: 'PASSED', output: '42\n', execution_time: 0.01, memory_usage: 1024, updated_at: new Date().toISOString() };
  await producer.produce({ topic, key: id, value: Buffer.from(JSON.stringify(value)), headers: [], timestampMs: Date.now() });
};
const waitFor = async (n: number) => {
  const until = Date.now() + 60_000;
  while (latencies.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
};
await publish('warm-up');
const warmUntil = Date.now() + 60_000;
while (received === 0 && Date.now() < warmUntil) await new Promise((r) => setTimeout(r, 10));

for (let i = 0; i < events; i++) {
  const id = `bench-${i}`;
  sentAt.set(id, performance.now());
  await publish(id);
  await new Promise((r) => setTimeout(r, gapMs));
}
await waitFor(events);

const sorted = [...latencies].sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
console.log(JSON.stringify({
  scenario: 'status produced → webhook received (ms)',
  events,
  received: latencies.length,
  bad_signatures: badSignatures,
  p50: q(0.5),
  p95: q(0.95),
  p99: q(0.99),
  max: sorted.at(-1)?.toFixed(1),
}));
await producer.close(5000);
await gw.shutdown();
receiver.close();
process.exit(0);

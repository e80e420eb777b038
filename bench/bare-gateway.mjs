// The calibration of issue 15: a bare-bones gateway of ~40 lines. express.json(), one awaited
// produce() with acks=all and idempotence through a map of pending reports (polled every ms),
// res.json with partition and offset, one JSON log line per request written synchronously to
// stdout (a file under the bench). No validation, enrichment, metrics, security headers or errors.
// With --headers it writes the four metadata headers kgate writes (kgate-request-id, -source,
// -timestamp, -server-time), to show what node-rdkafka charges for them.
// Usage: node bench/bare-gateway.mjs <port> <bootstrap> [--headers]; prints the port.
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import express from 'express';
import Kafka from 'node-rdkafka';

const [port, bootstrap, flag] = process.argv.slice(2);
const withHeaders = flag === '--headers';
const producer = new Kafka.Producer({ 'metadata.broker.list': bootstrap, 'enable.idempotence': true, 'linger.ms': 1, 'batch.size': 16384, dr_cb: true }, { acks: -1 });
await new Promise((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())));
const pending = new Map();
let nextId = 1;
producer.on('delivery-report', (err, report) => {
  const p = pending.get(report.opaque);
  pending.delete(report.opaque);
  if (err) p?.reject(err);
  else p?.resolve(report);
});
setInterval(() => producer.poll(), 1);

const app = express();
app.use(express.json({ limit: '1mb' }));
app.get('/', (_req, res) => res.json({ ok: true }));
app.post('/produce', async (req, res) => {
  const id = nextId++;
  const requestId = randomUUID();
  const now = new Date();
  const headers = withHeaders
    ? [{ 'kgate-request-id': requestId }, { 'kgate-source': 'bare' }, { 'kgate-timestamp': now.toISOString() }, { 'kgate-server-time': String(now.getTime() / 1000) }]
    : undefined;
  const { topic, key, message } = req.body;
  const delivered = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  try {
    producer.produce(topic, null, Buffer.from(JSON.stringify(message)), key ?? null, now.getTime(), id, headers);
    const report = await delivered;
    res.json({ success: true, request_id: requestId, topic, partition: report.partition, offset: report.offset });
  } catch (err) {
    pending.delete(id);
    res.status(503).json({ success: false, error: String(err) });
  }
  writeSync(1, `${JSON.stringify({ request_id: requestId, method: 'POST', route: '/produce', status: res.statusCode, time: new Date().toISOString() })}\n`);
});
const server = app.listen(Number(port), '127.0.0.1', () => process.stderr.write(`bare gateway on ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => producer.disconnect(() => process.exit(0))));

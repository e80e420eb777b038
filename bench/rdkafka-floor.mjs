// What node-rdkafka itself reaches from JavaScript, the bound under /produce/batch (issue 15):
// N pre-serialised ~1.3 KiB records (a bench record with kgate's metadata fields) with kgate's four
// metadata headers and 16 keys, acks=all, idempotent, kgate's librdkafka batch settings, at most
// 4 000 awaiting their reports (as 4 connections × 1 000-item batches), reports polled every ms.
// No HTTP, no JSON parsing, no validation: a gateway cannot beat this on the same binding.
// Usage: node bench/rdkafka-floor.mjs <bootstrap> <topic> [count] [batch.size]; prints one JSON line.
import Kafka from 'node-rdkafka';

const [bootstrap, topic, countArg, batchSizeArg] = process.argv.slice(2);
const count = Number(countArg ?? 200_000);
const window = 4000;
const producer = new Kafka.Producer(
  { 'metadata.broker.list': bootstrap, 'enable.idempotence': true, 'linger.ms': 1, 'batch.size': Number(batchSizeArg ?? 16384), dr_cb: true },
  { acks: -1 },
);
await new Promise((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())));
const now = new Date();
const value = Buffer.from(JSON.stringify({ user_id: 123, action: 'login', data: 'x'.repeat(900), timestamp: now.toISOString(), source: 'kgate', server_time: now.getTime() / 1000, request_id: '6c1f6a0e-2a8e-4a36-9b0e-7d8f2b1e4c11' }));
const headers = [{ 'kgate-request-id': '6c1f6a0e-2a8e-4a36-9b0e-7d8f2b1e4c11' }, { 'kgate-source': 'kgate' }, { 'kgate-timestamp': now.toISOString() }, { 'kgate-server-time': String(now.getTime() / 1000) }];

let sent = 0;
let delivered = 0;
let failed = 0;
let wake;
producer.on('delivery-report', (err) => {
  if (err) failed++;
  else delivered++;
  if (wake && sent - delivered - failed < window / 2) wake();
});
const poller = setInterval(() => producer.poll(), 1);

async function run(n) {
  const target = sent + n;
  while (sent < target) {
    while (sent < target && sent - delivered - failed < window) {
      producer.produce(topic, null, value, `k${sent % 16}`, Date.now(), sent, headers);
      sent++;
    }
    await new Promise((resolve) => (wake = resolve));
    wake = undefined;
  }
  while (delivered + failed < sent) await new Promise((resolve) => setTimeout(resolve, 1));
}

await run(Math.min(20_000, count)); // warm-up: metadata, connections, JIT
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const before = delivered;
await run(count);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const ok = delivered - before;
console.log(JSON.stringify({ msgs_per_s: Math.round(ok / seconds), cpu_us_per_msg: Math.round((cpu.user + cpu.system) / ok), failed, seconds }));
clearInterval(poller);
producer.disconnect(() => process.exit(0));

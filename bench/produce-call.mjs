// What one node-rdkafka produce() call costs the main thread, with and without kgate's four metadata
// record headers (issue 15: the headers are most of the gap between the bare-bones gateway and the
// ceiling). Wall time of the calls themselves, 50 per event-loop turn, reports polled every ms.
// Usage: node bench/produce-call.mjs <bootstrap> [calls=20000]; needs a running broker.
import Kafka from 'node-rdkafka';

const [bootstrap, callsArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 20_000);
const producer = new Kafka.Producer({ 'metadata.broker.list': bootstrap, 'enable.idempotence': true, 'linger.ms': 1, dr_cb: true }, { acks: -1 });
await new Promise((resolve, reject) => producer.connect({}, (err) => (err ? reject(err) : resolve())));
const poller = setInterval(() => producer.poll(), 1);
const now = new Date();
const value = Buffer.from(JSON.stringify({ user_id: 123, action: 'login', data: 'x'.repeat(900), timestamp: now.toISOString(), source: 'kgate', server_time: now.getTime() / 1000 }));
const headers = [{ 'kgate-request-id': '6c1f6a0e-2a8e-4a36-9b0e-7d8f2b1e4c11' }, { 'kgate-source': 'kgate' }, { 'kgate-timestamp': now.toISOString() }, { 'kgate-server-time': String(now.getTime() / 1000) }];
const topic = `produce-call-${Date.now()}`;
producer.produce(topic, null, value, 'k', Date.now(), 0, headers);
await new Promise((resolve) => setTimeout(resolve, 2000)); // metadata, connection

async function microsPerCall(produce) {
  let wall = 0;
  for (let i = 0; i < calls; i += 50) {
    const t0 = performance.now();
    for (let j = 0; j < 50; j++) produce(i + j);
    wall += performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return (wall * 1000) / calls;
}

for (let round = 1; round <= 2; round++) {
  const without = await microsPerCall((i) => producer.produce(topic, null, value, 'user-123', Date.now(), i, undefined));
  const withHeaders = await microsPerCall((i) => producer.produce(topic, null, value, 'user-123', Date.now(), i, headers));
  console.log(`round ${round}: ${without.toFixed(2)} µs per produce() without headers, ${withHeaders.toFixed(2)} µs with kgate's four`);
}
clearInterval(poller);
producer.disconnect(() => process.exit(0));

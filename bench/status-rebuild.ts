// Status view rebuild: how long a gateway takes to read a status topic of N events into its view
// (what stands between start-up and /ready). Usage:
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 npx tsx bench/status-rebuild.ts [--events 100000] [--runs 3]
// (default broker: ./run.sh's, scripts/kafka.sh start). Prints one JSON line per run and a summary.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { startGateway } from '../src/gateway.js';
import { KafkaProducer } from '../src/kafka/producer.js';
import { ensureCompactedTopic } from '../src/kafka/topic-admin.js';
import { WholeTopicReader } from '../src/kafka/whole-topic-reader.js';
import { createLogger } from '../src/logging/logger.js';
import { decodeStatusRecord } from '../src/status/status-record.js';
import { StatusView } from '../src/status/status-view.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });
const events = Number(values.events);
const runs = Number(values.runs);
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
const topic = `bench-status-${Date.now()}`;
const log = createLogger('warn', true);
const config = loadConfig({ KAFKA_BOOTSTRAP_SERVERS: bootstrap, STATUS_TOPIC: topic, PORT: '0', HOST: '127.0.0.1', ACCESS_LOG: 'false' });

await ensureCompactedTopic(config.kafka, { topic, partitions: 3, timeoutMs: 10_000 }, log);
// Four events per request id, as a worker publishes them: queued, PENDING, PROCESSING, PASSED.
const producer = await KafkaProducer.connect(config.kafka, log);
const statuses = ['queued', 'PENDING', 'PROCESSING', 'PASSED'];
const t0 = Date.now();
const pending: Array<Promise<unknown>> = [];
for (let i = 0; i < events; i++) {
  const id = `bench-${Math.floor(i / 4)}`;
  const value = Buffer.from(JSON.stringify({ request_id: id, status: statuses[i % 4], updated_at: new Date().toISOString(), output: 'hello world\n', execution_time: 0.05 }));
  pending.push(producer.produce({ topic, key: id, value, headers: [], timestampMs: Date.now() }));
  if (pending.length >= 10_000) await Promise.all(pending.splice(0));
}
await Promise.all(pending);
await producer.close(10_000);
console.log(JSON.stringify({ step: 'produced', topic, events, ms: Date.now() - t0 }));

const results: number[] = [];
for (let run = 1; run <= runs; run++) {
  const view = new StatusView({ maxEntries: 1_000_000, retentionMs: 86_400_000, maxHistory: 50 });
  let applied = 0;
  const started = Date.now();
  const reader = await WholeTopicReader.start(
    config.kafka,
    {
      topic,
      purpose: 'bench',
      metadataTimeoutMs: 5000,
      onRecord: (r, replay) => {
        const d = decodeStatusRecord(r, replay);
        if (d && view.apply(d.event, d.position)) applied++;
      },
    },
    log,
  );
  await reader.caughtUp;
  const ms = Date.now() - started;
  results.push(ms);
  console.log(JSON.stringify({ step: 'reader rebuild', run, events_applied: applied, request_ids: view.size, ms, events_per_s: Math.round((applied / ms) * 1000) }));
  await reader.close();
}

// The same through the whole gateway start-up, as /ready sees it.
const gw = await startGateway(config, log);
console.log(JSON.stringify({ step: 'gateway start-up rebuild', request_ids: gw.statusView.size, ms: gw.statusRebuildMs }));
await gw.shutdown();
results.sort((a, b) => a - b);
console.log(JSON.stringify({ summary: 'reader rebuild', events, runs, median_ms: results[Math.floor(results.length / 2)], min_ms: results[0], max_ms: results.at(-1) }));
process.exit(0);

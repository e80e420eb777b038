// The reference worker (README "The whole loop"): a client of kgate, not part of it. It reads
// code-execution messages in a consumer group and reports each one's progress as status events
// PENDING → PROCESSING → PASSED/FAILED. With KGATE_API_KEY (a key whose entry names the status topic) it
// publishes through the gateway like any other client; without, straight to Kafka: a gateway without
// keys refuses its reserved status topic to every HTTP client (docs/security.md).
import Kafka from 'node-rdkafka';
import { judge } from './judge.js';
import { connectKafkaStatusClient } from './kafka-status-client.js';
import { createStatusClient, type StatusUpdate } from './status-client.js';

const env = process.env;
const settings = {
  gatewayUrl: env.KGATE_URL ?? 'http://127.0.0.1:8001',
  bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092',
  topic: env.CODE_EXECUTION_TOPIC ?? 'code-execution',
  statusTopic: env.STATUS_TOPIC ?? 'code-execution-status',
  group: env.WORKER_GROUP ?? 'kgate-example-worker',
  workMs: Number(env.WORKER_WORK_MS ?? 800),
  batch: Number(env.WORKER_BATCH ?? 16),
};
const viaKafka = env.KGATE_API_KEY ? undefined : await connectKafkaStatusClient(settings.bootstrapServers, settings.statusTopic);
const publish: (update: StatusUpdate) => Promise<void> =
  viaKafka?.publish ?? createStatusClient({ gatewayUrl: settings.gatewayUrl, statusTopic: settings.statusTopic, apiKey: env.KGATE_API_KEY });
const log = (msg: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Submission {
  request_id: string;
  code: string;
  language: string;
}

function parse(m: Kafka.Message): Submission | undefined {
  try {
    const v = JSON.parse(m.value?.toString('utf8') ?? '') as Record<string, unknown>;
    if (typeof v.request_id === 'string' && typeof v.code === 'string') {
      return { request_id: v.request_id, code: v.code, language: typeof v.language === 'string' ? v.language : 'unknown' };
    }
  } catch {
    // Not JSON: not a submission.
  }
  return undefined;
}

async function handle(s: Submission): Promise<void> {
  const started = Date.now();
  await publish({ request_id: s.request_id, status: 'PENDING', detail: 'picked up by the example worker' });
  await publish({ request_id: s.request_id, status: 'PROCESSING', detail: `running ${s.language}` });
  await sleep(settings.workMs);
  const result = judge(s.code, s.language, Date.now() - started);
  await publish({ request_id: s.request_id, ...result });
  log('processed', { request_id: s.request_id, status: result.status });
}

const consumer = new Kafka.KafkaConsumer(
  {
    'bootstrap.servers': settings.bootstrapServers,
    'group.id': settings.group,
    'client.id': 'kgate-example-worker',
    // Committed by hand after a batch is handled: a worker that dies mid-batch redoes it (at least once).
    'enable.auto.commit': false,
    'topic.metadata.refresh.interval.ms': 10_000,
  },
  // A new group starts with the submissions made before the worker was first started.
  { 'auto.offset.reset': 'earliest' },
);

let stopping = false;
let waitingForTopic = false;

async function loop(): Promise<void> {
  while (!stopping) {
    let messages: Kafka.Message[];
    try {
      messages = await new Promise<Kafka.Message[]>((resolve, reject) =>
        consumer.consume(settings.batch, (err, ms) => (err ? reject(err) : resolve(ms))),
      );
    } catch (err) {
      // Before the first submission the topic may not exist yet (consumers do not create topics): wait for it.
      if ((err as Kafka.LibrdKafkaError).code !== Kafka.CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART) throw err;
      if (!waitingForTopic) log('waiting for the topic to exist', { topic: settings.topic });
      waitingForTopic = true;
      await sleep(1000);
      continue;
    }
    waitingForTopic = false;
    if (messages.length === 0) continue;
    // One batch at a time, its submissions side by side; statuses of one id stay in order.
    await Promise.all(
      messages.map(async (m) => {
        const s = parse(m);
        if (!s) return log('skipped: not a submission', { partition: m.partition, offset: m.offset });
        await handle(s).catch((err: Error) => log('failed to report status', { request_id: s.request_id, err: err.message }));
      }),
    );
    consumer.commitSync(null);
  }
}

consumer.on('event.error', (err) => log('kafka error', { err: err.message }));
consumer.setDefaultConsumeTimeout(500);
consumer.connect({ timeout: 30_000 }, (err) => {
  if (err) {
    log('cannot connect to Kafka', { err: err.message, bootstrap: settings.bootstrapServers });
    process.exit(1);
  }
  consumer.subscribe([settings.topic]);
  const via = viaKafka ? 'kafka' : settings.gatewayUrl;
  log('worker started', { topic: settings.topic, group: settings.group, publishes_via: via, status_topic: settings.statusTopic });
  loop().catch((e: Error) => {
    log('worker stopped on error', { err: e.message });
    process.exit(1);
  });
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    log('stopping', { signal });
    // Let the current batch finish, then leave the group so its partitions move on at once.
    setTimeout(() => consumer.disconnect(() => void (viaKafka?.close() ?? Promise.resolve()).then(() => process.exit(0))), settings.workMs + 200);
  });
}

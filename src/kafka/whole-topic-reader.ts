import Kafka from 'node-rdkafka';
import type { Logger } from '../logging/logger.js';
import { toConsumedRecord, type ConsumedRecord } from './consumed-record.js';
import { toConsumerConfig, type ConsumerSettings } from './consumer-config.js';
import { disconnectWithin } from './disconnect.js';
import { toGatewayError } from './errors.js';
import { attachOAuthBearer } from './oauthbearer.js';

const CLOSE_TIMEOUT_MS = 5000;

export interface WholeTopicReaderOptions {
  topic: string;
  /** Called for every record, in partition order; `replay` is true until the reader has caught up. */
  onRecord: (record: ConsumedRecord, replay: boolean) => void;
  metadataTimeoutMs: number;
  purpose: string;
}

/** librdkafka's RD_KAFKA_OFFSET_BEGINNING (node-rdkafka's typings do not export it). */
export const OFFSET_BEGINNING = -2;

/** Idle wait of one consume call; messages are handed on as soon as they arrive, not at its end.
 * Short, because disconnecting joins the consume thread on the JavaScript thread (blocking it
 * for up to this long); an idle consumer costs 20 wake-ups a second. */
export const CONSUME_TIMEOUT_MS = 50;
/** Pause after an idle consume call; librdkafka's default of 500 ms would delay the next change. */
const IDLE_DELAY_MS = 1;

/**
 * Reads every partition of one topic from the beginning and then follows it, with no consumer
 * group progress: each gateway replica keeps a full view of its own. `caughtUp` resolves once every
 * partition has been read to the high watermark it had when the reader started (or reported its
 * end), which is when a view built from the records is complete.
 */
export class WholeTopicReader {
  private closed = false;
  private caughtUpNow = false;
  private lastActivity = Date.now();

  private constructor(
    private readonly consumer: Kafka.KafkaConsumer,
    private readonly log: Pick<Logger, 'warn' | 'error' | 'info'>,
    readonly caughtUp: Promise<void>,
  ) {}

  get isCaughtUp(): boolean {
    return this.caughtUpNow;
  }

  static async start(settings: ConsumerSettings, o: WholeTopicReaderOptions, log: Pick<Logger, 'warn' | 'error' | 'info'>): Promise<WholeTopicReader> {
    const { global, topic } = toConsumerConfig(settings, o.purpose);
    const consumer = new Kafka.KafkaConsumer(global, topic);
    attachOAuthBearer(settings, consumer);
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: o.metadataTimeoutMs * 10 }, (err) => (err ? reject(toGatewayError(err)) : resolve())),
    );
    const partitions = await partitionsOf(consumer, o.topic, o.metadataTimeoutMs);
    // The end of each partition now: caught up means read to here, whatever arrives meanwhile.
    const pending = new Map<number, number>();
    for (const p of partitions) {
      const { lowOffset, highOffset } = await watermarks(consumer, o.topic, p, o.metadataTimeoutMs);
      if (highOffset > lowOffset) pending.set(p, highOffset);
    }
    let markCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
    const reader = new WholeTopicReader(consumer, log, caughtUp);
    const check = () => {
      if (!reader.caughtUpNow && pending.size === 0) {
        reader.caughtUpNow = true;
        markCaughtUp();
      }
    };
    if (partitions.length === 0) log.warn('topic not found: its view stays empty until the gateway restarts', { topic: o.topic });
    check();
    consumer.on('data', (m) => {
      reader.lastActivity = Date.now();
      if (reader.closed) return;
      const end = pending.get(m.partition);
      if (end !== undefined && m.offset + 1 >= end) pending.delete(m.partition);
      o.onRecord(toConsumedRecord(m), !reader.caughtUpNow);
      check();
    });
    consumer.on('partition.eof', (eof) => {
      reader.lastActivity = Date.now();
      // Compaction and transaction markers can leave the last offsets without a record to see.
      const end = pending.get(eof.partition);
      if (end !== undefined && eof.offset >= end) pending.delete(eof.partition);
      check();
    });
    consumer.on('event.error', (err) => log.warn('kafka reader error', { topic: o.topic, kafka_code: err.code, kafka_error: err.message }));
    consumer.setDefaultConsumeTimeout(CONSUME_TIMEOUT_MS);
    consumer.setDefaultConsumeLoopTimeoutDelay(IDLE_DELAY_MS);
    consumer.assign(partitions.map((partition) => ({ topic: o.topic, partition, offset: OFFSET_BEGINNING })));
    consumer.consume((err) => {
      if (err && !reader.closed) log.error('kafka reader stopped', { topic: o.topic, kafka_code: err.code, kafka_error: err.message });
    });
    return reader;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await disconnectWithin(this.consumer, CLOSE_TIMEOUT_MS, () => this.lastActivity);
  }
}

export function partitionsOf(consumer: Kafka.KafkaConsumer, topic: string, timeoutMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    consumer.getMetadata({ topic, timeout: timeoutMs }, (err, metadata) => {
      if (err) return reject(toGatewayError(err));
      const entry = metadata.topics.find((t) => t.name === topic);
      resolve(entry ? entry.partitions.map((p) => p.id).sort((a, b) => a - b) : []);
    });
  });
}

/**
 * A partition's low and high offsets. Right after a topic is created its leader may not be known
 * yet ("not leader for partition"): retried for up to three metadata timeouts.
 */
export async function watermarks(consumer: Kafka.KafkaConsumer, topic: string, partition: number, timeoutMs: number): Promise<Kafka.WatermarkOffsets> {
  const deadline = Date.now() + 3 * timeoutMs;
  for (;;) {
    try {
      return await new Promise<Kafka.WatermarkOffsets>((resolve, reject) => {
        consumer.queryWatermarkOffsets(topic, partition, timeoutMs, (err, offsets) => (err ? reject(err) : resolve(offsets)));
      });
    } catch (err) {
      if (Date.now() > deadline) throw toGatewayError(err);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

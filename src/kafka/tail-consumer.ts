import Kafka from 'node-rdkafka';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { toConsumedRecord, type ConsumedRecord } from './consumed-record.js';
import { toConsumerConfig, type ConsumerSettings } from './consumer-config.js';
import { disconnectWithin } from './disconnect.js';
import { toGatewayError } from './errors.js';

const CLOSE_TIMEOUT_MS = 5000;
import { CONSUME_TIMEOUT_MS, partitionsOf, watermarks } from './whole-topic-reader.js';
import { attachOAuthBearer } from './oauthbearer.js';

/** Where a tail starts in every partition. */
export type TailStart = 'earliest' | 'latest' | number;

export interface TailOptions {
  topic: string;
  from: TailStart;
  onRecord: (record: ConsumedRecord) => void;
  metadataTimeoutMs: number;
}

/**
 * One client's live view of one topic: a consumer of its own, every partition assigned at an
 * explicit offset resolved from the watermarks now (so "latest" means "after what is there now",
 * not "whenever the consumer gets round to asking"). A numeric start applies to every partition,
 * clamped into [low, high]: below the oldest kept record it starts there, past the end it waits
 * for the next record.
 */
export class TailConsumer {
  private closed = false;
  private lastActivity = Date.now();

  private constructor(private readonly consumer: Kafka.KafkaConsumer) {}

  static async open(settings: ConsumerSettings, o: TailOptions, log: Pick<Logger, 'warn'>): Promise<TailConsumer> {
    const { global, topic } = toConsumerConfig(settings, 'tail');
    const consumer = new Kafka.KafkaConsumer(global, topic);
    attachOAuthBearer(settings, consumer);
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: o.metadataTimeoutMs * 3 }, (err) => (err ? reject(toGatewayError(err)) : resolve())),
    );
    const tail = new TailConsumer(consumer);
    try {
      const partitions = await partitionsOf(consumer, o.topic, o.metadataTimeoutMs);
      if (partitions.length === 0) throw new GatewayError('UNKNOWN_TOPIC', `topic ${o.topic} does not exist`, { field: 'topic' });
      const assignments: Array<{ topic: string; partition: number; offset: number }> = [];
      for (const partition of partitions) {
        const { lowOffset, highOffset } = await watermarks(consumer, o.topic, partition, o.metadataTimeoutMs);
        const offset = o.from === 'earliest' ? lowOffset : o.from === 'latest' ? highOffset : Math.min(Math.max(o.from, lowOffset), highOffset);
        assignments.push({ topic: o.topic, partition, offset });
      }
      consumer.on('data', (m) => {
        tail.lastActivity = Date.now();
        if (!tail.closed) o.onRecord(toConsumedRecord(m));
      });
      consumer.on('partition.eof', () => (tail.lastActivity = Date.now()));
      consumer.on('event.error', (err) => log.warn('kafka tail error', { topic: o.topic, kafka_code: err.code, kafka_error: err.message }));
      consumer.setDefaultConsumeTimeout(CONSUME_TIMEOUT_MS);
      consumer.setDefaultConsumeLoopTimeoutDelay(1);
      consumer.assign(assignments);
      consumer.consume((err) => {
        if (err && !tail.closed) log.warn('kafka tail stopped', { topic: o.topic, kafka_code: err.code, kafka_error: err.message });
      });
      return tail;
    } catch (err) {
      await tail.close();
      throw err;
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return disconnectWithin(this.consumer, CLOSE_TIMEOUT_MS, () => this.lastActivity);
  }
}

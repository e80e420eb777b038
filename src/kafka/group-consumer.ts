import Kafka from 'node-rdkafka';
import type { Logger } from '../logging/logger.js';
import { toConsumedRecord, type ConsumedRecord } from './consumed-record.js';
import { toConsumerConfig, type ConsumerSettings } from './consumer-config.js';
import { toGatewayError } from './errors.js';
import { CONSUME_TIMEOUT_MS } from './whole-topic-reader.js';
import { attachOAuthBearer } from './oauthbearer.js';

/** Same reasons as src/kafka/disconnect.ts: disconnect only once nothing has arrived for a while, and within a bound. */
const QUIET_MS = 200;
const QUIET_MAX_WAIT_MS = 3000;
const CLOSE_TIMEOUT_MS = 5000;

export interface GroupConsumerSettings extends ConsumerSettings {
  groupId: string;
  topics: string[];
  /** Names the consumer in broker logs (client.id suffix). */
  purpose: string;
}

/**
 * A consumer in a consumer group: Kafka gives each partition to one member, so replicas that share
 * the group id split the records between them (src/webhooks uses that so one replica, not all,
 * acts on a record). Offsets of records handed to `onRecord` (which must not throw) are committed
 * every second and on leaving; a group seen for the first time starts at the earliest record.
 */
export class GroupConsumer {
  private lastActivity = Date.now();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly client: Kafka.KafkaConsumer,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  static async start(
    settings: GroupConsumerSettings,
    onRecord: (record: ConsumedRecord) => void,
    log: Pick<Logger, 'warn' | 'debug'>,
    timeoutMs = 30_000,
  ): Promise<GroupConsumer> {
    // The readers' base settings (and, with them, any TLS/SASL), turned into a committing group member.
    const base = toConsumerConfig(settings, settings.purpose);
    const client = new Kafka.KafkaConsumer(
      {
        ...base.global,
        'group.id': settings.groupId,
        'enable.auto.commit': true,
        'enable.auto.offset.store': true,
        'auto.commit.interval.ms': 1000,
        'enable.partition.eof': false,
        // A subscribed topic that does not exist yet is noticed at the next metadata refresh:
        // 10 s instead of librdkafka's 5 min, for a status topic created after the gateway starts.
        'topic.metadata.refresh.interval.ms': 10_000,
        // No rebalance_cb: with it node-rdkafka's disconnect can wait for an unassign that never
        // comes (Blizzard/node-rdkafka#330); librdkafka's own assignment handling is enough here.
      },
      base.topic,
    );
    attachOAuthBearer(settings, client);
    let self: GroupConsumer | undefined;
    client.on('data', (m) => {
      if (self) self.lastActivity = Date.now();
      onRecord(toConsumedRecord(m));
    });
    client.on('event.error', (err) => log.warn('consumer error', { group: settings.groupId, err: err.message }));
    await new Promise<void>((resolve, reject) => {
      client.connect({ timeout: timeoutMs }, (err) => (err ? reject(toGatewayError(err)) : resolve()));
    });
    self = new GroupConsumer(client, log);
    // Disconnecting joins the consume thread on the JS thread: keep each consume call short.
    client.setDefaultConsumeTimeout(CONSUME_TIMEOUT_MS);
    client.setDefaultConsumeLoopTimeoutDelay(1);
    client.subscribe(settings.topics);
    client.consume();
    return self;
  }

  /** Commits what was handed on and leaves the group, so its partitions move to the other members now. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      try {
        this.client.unsubscribe();
      } catch (err) {
        this.log.warn('consumer unsubscribe failed', { err: (err as Error).message });
      }
      const giveUp = Date.now() + QUIET_MAX_WAIT_MS;
      while (Date.now() - this.lastActivity < QUIET_MS && Date.now() < giveUp) await new Promise((r) => setTimeout(r, QUIET_MS / 4));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.log.warn('consumer did not close in time; going on', { timeout_ms: CLOSE_TIMEOUT_MS });
          resolve();
        }, CLOSE_TIMEOUT_MS);
        this.client.disconnect(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    })());
  }
}

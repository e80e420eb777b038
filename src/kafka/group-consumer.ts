import Kafka from 'node-rdkafka';
import type { Logger } from '../logging/logger.js';
import { toGatewayError } from './errors.js';

export interface GroupConsumerSettings {
  bootstrapServers: string;
  clientId: string;
  groupId: string;
  topics: string[];
}

/** One record as a group consumer hands it on: the value undecoded, the broker's timestamp. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | undefined;
  value: Buffer | undefined;
  timestampMs: number | undefined;
}

/**
 * A consumer in a consumer group: Kafka gives each partition to one member, so replicas that share
 * the group id split the records between them (src/webhooks uses that so one replica, not all,
 * acts on a record). Offsets are committed automatically every few seconds for records handed to
 * `onRecord`, which must not throw; a group seen for the first time starts at the earliest record.
 */
export class GroupConsumer {
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
    const client = new Kafka.KafkaConsumer(
      {
        'bootstrap.servers': settings.bootstrapServers,
        'client.id': settings.clientId,
        'group.id': settings.groupId,
        'enable.auto.commit': true,
        'auto.commit.interval.ms': 1000,
        'socket.keepalive.enable': true,
        // A subscribed topic that does not exist yet is noticed at the next metadata refresh:
        // 10 s instead of librdkafka's 5 min, for a status topic created after the gateway starts.
        'topic.metadata.refresh.interval.ms': 10_000,
        'rebalance_cb': true,
      },
      { 'auto.offset.reset': 'earliest' },
    );
    client.on('data', (m) =>
      onRecord({
        topic: m.topic,
        partition: m.partition,
        offset: m.offset,
        key: m.key === undefined || m.key === null ? undefined : m.key.toString(),
        value: m.value ?? undefined,
        timestampMs: m.timestamp,
      }),
    );
    client.on('rebalance', (err, assignment) => log.debug('consumer group rebalance', { group: settings.groupId, event: err.message, partitions: assignment.length }));
    client.on('event.error', (err) => log.warn('consumer error', { group: settings.groupId, err: err.message }));
    await new Promise<void>((resolve, reject) => {
      client.connect({ timeout: timeoutMs }, (err) => (err ? reject(toGatewayError(err)) : resolve()));
    });
    client.subscribe(settings.topics);
    client.consume();
    return new GroupConsumer(client, log);
  }

  /** Commits what was handed on and leaves the group, so its partitions move to the other members now. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.client.unsubscribe();
      } catch (err) {
        this.log.warn('consumer unsubscribe failed', { err: (err as Error).message });
      }
      this.client.disconnect(() => resolve());
    });
  }
}

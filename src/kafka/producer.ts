import { EventEmitter } from 'node:events';
import Kafka from 'node-rdkafka';
import type { ProducerSettings } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { BrokerState, type RdKafkaStats } from './broker-state.js';
import { toClusterMetadata, type ClusterMetadata } from './cluster-metadata.js';
import { DeliveryTracker, type Ack } from './delivery-tracker.js';
import { connectClient } from './connect.js';
import { toGatewayError } from './errors.js';
import { toLibrdkafkaConfig } from './producer-config.js';

export type { Ack } from './delivery-tracker.js';
export type { RdKafkaStats } from './broker-state.js';

export interface KafkaRecord {
  topic: string;
  /** undefined lets librdkafka's partitioner choose (by key hash when there is a key). */
  partition?: number;
  key?: string;
  value: Buffer;
  headers: Array<Record<string, Buffer | string>>;
  timestampMs: number;
}

/** Delivery reports reach JavaScript only when the producer is polled: poll every ms while
 * messages are pending, and slowly when idle so statistics and errors still arrive. */
const BUSY_POLL_MS = 1;
const IDLE_POLL_MS = 50;

/** The only owner of a node-rdkafka producer. Emits 'stats' with librdkafka's statistics. */
export class KafkaProducer extends EventEmitter {
  private readonly client: Kafka.Producer;
  private readonly tracker = new DeliveryTracker();
  private readonly brokers: BrokerState;
  private pollTimer: NodeJS.Timeout | undefined;
  private pollingFast = false;
  private closed = false;
  /** A fatal librdkafka error (e.g. the idempotent producer lost its sequence) leaves this
   * producer unusable; report unhealthy so an orchestrator restarts the gateway. */
  private fatal = false;

  private constructor(
    private readonly settings: ProducerSettings,
    private readonly log: Logger,
  ) {
    super();
    const { global, topic } = toLibrdkafkaConfig(settings);
    this.client = new Kafka.Producer(global, topic);
    this.brokers = new BrokerState(settings.statisticsIntervalMs);
    this.client.on('delivery-report', (err, report) => this.onDeliveryReport(err, report));
    this.client.on('event.stats', (event: { message: string }) => this.onStats(event.message));
    this.client.on('event.error', (err) => this.onClientError(err));
  }

  /** Connects and waits for the first metadata, so a started gateway knows its cluster. */
  static async connect(settings: ProducerSettings, log: Logger, timeoutMs = 30_000): Promise<KafkaProducer> {
    const producer = await connectClient(
      () => {
        const p = new KafkaProducer(settings, log);
        // Polled while connecting, so a wrong password or CA is reported at once (connect.ts); on
        // plaintext there is nothing to detect, and polling would only log every failed reconnect.
        if (settings.security.protocol !== 'plaintext') p.schedulePoll(IDLE_POLL_MS);
        return p;
      },
      (p) => p.client,
      (p) => {
        p.closed = true;
        clearInterval(p.pollTimer);
      },
      settings,
      timeoutMs,
    );
    producer.brokers.markUp();
    producer.schedulePoll(IDLE_POLL_MS);
    return producer;
  }

  get connected(): boolean {
    return !this.closed && !this.fatal && this.brokers.isConnected();
  }

  get inFlight(): number {
    return this.tracker.size;
  }

  /** Hands one record to librdkafka; settles when the broker acknowledges it (acks=all) or it fails. */
  produce(record: KafkaRecord): Promise<Ack> {
    if (this.closed) return Promise.reject(new GatewayError('SHUTTING_DOWN'));
    if (this.fatal || !this.brokers.isConnected()) return Promise.reject(new GatewayError('KAFKA_UNAVAILABLE'));
    const { id, settled } = this.tracker.track();
    try {
      this.client.produce(
        record.topic,
        record.partition ?? null,
        record.value,
        record.key ?? null,
        record.timestampMs,
        id,
        record.headers,
      );
    } catch (err) {
      this.tracker.abandon(id, toGatewayError(err));
      return settled;
    }
    if (!this.pollingFast) this.schedulePoll(BUSY_POLL_MS);
    return settled;
  }

  /** Partition count of a topic from fresh cluster metadata; undefined if the topic is unknown. */
  partitionCount(topic: string): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.client.getMetadata({ topic, timeout: this.settings.metadataTimeoutMs }, (err, metadata) => {
        if (err) return reject(new GatewayError('KAFKA_UNAVAILABLE', undefined, { cause: err }));
        const entry = metadata.topics.find((t) => t.name === topic);
        resolve(entry && entry.partitions.length > 0 ? entry.partitions.length : undefined);
      });
    });
  }

  /** Every topic of the cluster with its partitions. Asks for all topics, never one by name:
   * a metadata request naming a missing topic may create it on clusters that auto-create. */
  clusterMetadata(): Promise<ClusterMetadata> {
    return new Promise((resolve, reject) => {
      this.client.getMetadata({ allTopics: true, timeout: this.settings.metadataTimeoutMs }, (err, metadata) =>
        err ? reject(new GatewayError('KAFKA_UNAVAILABLE', undefined, { cause: err })) : resolve(toClusterMetadata(metadata)),
      );
    });
  }

  /** Waits until every handed-over message has a delivery report, or the timeout passes. */
  async flush(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await new Promise<void>((resolve) => {
      this.client.flush(timeoutMs, () => resolve());
    });
    // librdkafka has the reports; they reach the tracker with the next polls.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.tracker.whenIdle(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
  }

  /** Flushes, then disconnects, all within timeoutMs; messages still unreported afterwards are
   * failed, never dropped silently. */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    const deadline = Date.now() + timeoutMs;
    await this.flush(Math.max(0, deadline - Date.now()));
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.tracker.failAll(new GatewayError('SHUTTING_DOWN'));
    await new Promise<void>((resolve) => this.client.disconnect(Math.max(1000, deadline - Date.now()), () => resolve()));
  }

  private onDeliveryReport(err: Kafka.LibrdKafkaError | null, report: Kafka.DeliveryReport): void {
    const id = report.opaque as number;
    if (err) {
      this.tracker.failed(id, toGatewayError(err));
    } else {
      this.brokers.markUp();
      this.tracker.delivered(id, { partition: report.partition, offset: Number(report.offset) });
    }
    if (this.tracker.size === 0 && this.pollingFast) this.schedulePoll(IDLE_POLL_MS);
  }

  private onStats(json: string): void {
    let stats: RdKafkaStats;
    try {
      stats = JSON.parse(json) as RdKafkaStats;
    } catch {
      return;
    }
    this.brokers.onStats(stats);
    this.emit('stats', stats);
  }

  private onClientError(err: Kafka.LibrdKafkaError): void {
    if (err.code === Kafka.CODES.ERRORS.ERR__ALL_BROKERS_DOWN) this.brokers.markDown();
    if (err.isFatal === true) this.fatal = true;
    this.log.warn('kafka client error', { kafka_code: err.code, kafka_error: err.message, fatal: err.isFatal === true });
  }

  private schedulePoll(intervalMs: number): void {
    if (this.closed) return;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollingFast = intervalMs === BUSY_POLL_MS;
    this.pollTimer = setInterval(() => {
      try {
        this.client.poll();
      } catch {
        // poll() throws only when not connected; the 'disconnected' path is handled by close().
      }
    }, intervalMs);
    this.pollTimer.unref();
  }
}

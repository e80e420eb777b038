import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import Kafka from 'node-rdkafka';
import type { ProducerSettings } from '../config/config.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';
import { BrokerState, type RdKafkaStats } from './broker-state.js';
import { toClusterMetadata, type ClusterMetadata } from './cluster-metadata.js';
import { connectClient } from './connect.js';
import { DeliveryTracker, type Ack, type Unknown } from './delivery-tracker.js';
import { OFFSET_UNKNOWN_REASON, offsetOf, toGatewayError } from './errors.js';
import { toLibrdkafkaConfig } from './producer-config.js';
import { attachOAuthBearer, ensureOAuthBearer, type OAuthBearer } from './oauthbearer.js';

export type { Ack, MessageRef } from './delivery-tracker.js';
export { OutcomeUnknownError } from './delivery-tracker.js';
export type { RdKafkaStats } from './broker-state.js';

export interface KafkaRecord {
  topic: string;
  /** undefined lets librdkafka's partitioner choose (by key hash when there is a key). */
  partition?: number;
  key?: string | Buffer;
  value: Buffer;
  headers: ReadonlyArray<Record<string, Buffer | string>>;
  timestampMs: number;
  /** The request it came with, for the log line of an outcome that arrives after the answer. */
  requestId?: string;
}

/** The outcome of a message whose client was already answered 504 (event 'late-outcome'). */
export interface LateOutcome {
  requestId: string | undefined;
  topic: string;
  delivered: boolean;
  code?: string;
}

/** Delivery reports reach JavaScript only when the producer is polled: poll every ms while
 * messages are pending, and slowly when idle so statistics and errors still arrive. */
const BUSY_POLL_MS = 1;
const IDLE_POLL_MS = 50;

/**
 * The only owner of a node-rdkafka producer. Emits 'stats' with librdkafka's statistics,
 * 'outcome-unknown' (count) when messages pass their deadline, 'late-outcome' (LateOutcome) when
 * such a message is finally reported on, and 'fatal' once when the producer becomes unusable.
 */
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
  /** KAFKA_SASL_MECHANISM=OAUTHBEARER: the token every client presents; expired = not usable. */
  private readonly bearer: OAuthBearer | undefined;

  private constructor(
    private readonly settings: ProducerSettings,
    private readonly log: Logger,
  ) {
    super();
    const { global, topic } = toLibrdkafkaConfig(settings);
    this.client = new Kafka.Producer(global, topic);
    this.bearer = attachOAuthBearer(settings, this.client);
    this.brokers = new BrokerState(settings.statisticsIntervalMs);
    this.client.on('delivery-report', (err, report) => this.onDeliveryReport(err, report));
    this.client.on('event.stats', (event: { message: string }) => this.onStats(event.message));
    this.client.on('event.error', (err) => this.onClientError(err));
  }

  /** Connects and waits for the first metadata, so a started gateway knows its cluster. */
  static async connect(settings: ProducerSettings, log: Logger, timeoutMs = 30_000): Promise<KafkaProducer> {
    // The first token before the first client: a refused client secret stops start-up here, naming it.
    await ensureOAuthBearer(settings, log);
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
    return !this.closed && !this.fatal && this.brokers.isConnected() && this.bearer?.valid !== false;
  }

  get inFlight(): number {
    return this.tracker.size;
  }

  /**
   * Hands one record to librdkafka. Throws a GatewayError when the message is refused before
   * hand-over (nothing written: a retry is safe); otherwise the promise settles with the broker's
   * acknowledgement (acks=all), a definite refusal, or at the deadline with OutcomeUnknownError.
   */
  produce(record: KafkaRecord): Promise<Ack> {
    if (this.closed) throw new GatewayError('SHUTTING_DOWN');
    if (this.fatal || !this.brokers.isConnected()) throw new GatewayError('KAFKA_UNAVAILABLE');
    // librdkafka would keep presenting an expired token and the broker refuse it: answer now, not at the deadline.
    if (this.bearer?.valid === false) throw new GatewayError('KAFKA_UNAVAILABLE', 'the OAUTHBEARER token has expired and the token endpoint has not given a new one yet');
    if (this.tracker.size >= this.settings.maxInFlight) {
      throw new GatewayError('OVERLOADED', undefined, { info: { max_in_flight: this.settings.maxInFlight } });
    }
    const { id, settled } = this.tracker.track(performance.now() + this.settings.deadlineMs, record.requestId, record.topic);
    try {
      this.client.produce(
        record.topic,
        record.partition ?? null,
        record.value,
        record.key ?? null,
        record.timestampMs,
        id,
        // node-rdkafka only reads the headers; its typings ask for a mutable array.
        record.headers as Kafka.MessageHeader[],
      );
    } catch (err) {
      this.tracker.abandon(id);
      settled.catch(() => {});
      throw toGatewayError(err, 'refused');
    }
    if (!this.pollingFast) this.schedulePoll(BUSY_POLL_MS);
    return settled;
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
    // Handed over and never reported on: written or not, nobody can tell.
    this.tracker.failAll(new GatewayError('DELIVERY_OUTCOME_UNKNOWN', undefined, { info: { reason: 'purged at shutdown' } }));
    await new Promise<void>((resolve) => this.client.disconnect(Math.max(1000, deadline - Date.now()), () => resolve()));
  }

  private onDeliveryReport(err: Kafka.LibrdKafkaError | null, report: Kafka.DeliveryReport): void {
    const id = report.opaque as number;
    let late: Unknown | undefined;
    let failure: GatewayError | undefined;
    if (err) {
      failure = toGatewayError(err, 'reported');
      late = this.tracker.failed(id, failure);
    } else {
      this.brokers.markUp();
      const offset = offsetOf(report.offset);
      late = this.tracker.delivered(
        id,
        offset === null ? { partition: report.partition, offset, offset_unknown_reason: OFFSET_UNKNOWN_REASON } : { partition: report.partition, offset },
      );
    }
    if (late) this.onLateOutcome(late, failure);
    if (this.tracker.waiting === 0 && this.pollingFast) this.schedulePoll(IDLE_POLL_MS);
  }

  private onLateOutcome(late: Unknown, failure: GatewayError | undefined): void {
    const outcome: LateOutcome = { requestId: late.requestId, topic: late.topic, delivered: !failure, ...(failure ? { code: failure.code } : {}) };
    const fields = { request_id: late.requestId, topic: late.topic, outcome: failure ? failure.code : 'delivered', ...failure?.info };
    if (failure) this.log.warn('delivery outcome after a 504 answer', fields);
    else this.log.info('delivery outcome after a 504 answer', fields);
    this.emit('late-outcome', outcome);
  }

  private expireOverdue(): void {
    if (this.tracker.waiting === 0) return;
    const expired = this.tracker.expire(performance.now());
    if (expired.length > 0) this.emit('outcome-unknown', expired.length);
    if (this.tracker.waiting === 0 && this.pollingFast) this.schedulePoll(IDLE_POLL_MS);
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
    if (err.isFatal === true && !this.fatal) {
      this.fatal = true;
      this.emit('fatal', err);
    }
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
      // The one deadline timer for every message: the poll loop already runs while any is waiting.
      this.expireOverdue();
    }, intervalMs);
    this.pollTimer.unref();
  }
}

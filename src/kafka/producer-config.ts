import type { ProducerGlobalConfig, ProducerTopicConfig } from 'node-rdkafka';
import type { ProducerSettings } from '../config/config.js';
import { connectionProperties, describeConnection, withPassthrough } from './connection-config.js';

export interface LibrdkafkaConfig {
  global: ProducerGlobalConfig;
  /** Topic-level settings. node-rdkafka 3.6.1 ignores message.timeout.ms in the global config
   * (measured: no report within 20 s), so it is set here. It is KAFKA_DELIVERY_TIMEOUT_MS (120 s),
   * well above the answer deadline and any failover: a message that times out inside librdkafka makes
   * the idempotent producer bump its epoch, and retries it still had in flight are then written again
   * (librdkafka #4953; 17 duplicates in a leader failover, measured with the fault suite). The client
   * is answered by the gateway's own deadline (504) and the message stays tracked until its report. */
  topic: ProducerTopicConfig;
}

/** Our typed settings → librdkafka properties. acks=all is not a setting: a 2xx means "written to all in-sync replicas". */
export function toLibrdkafkaConfig(s: ProducerSettings): LibrdkafkaConfig {
  return {
    global: withPassthrough<ProducerGlobalConfig>({
      // Cluster address, client id, TLS/SASL: shared with every Kafka client of the gateway.
      ...(connectionProperties(s) as ProducerGlobalConfig),
      'enable.idempotence': s.enableIdempotence,
      // Unset: librdkafka's default, unbounded under idempotence; delivery is bounded by time only.
      ...(s.retries === undefined ? {} : { 'message.send.max.retries': s.retries }),
      'retry.backoff.ms': s.retryBackoffMs,
      'batch.size': s.batchSize,
      'linger.ms': s.lingerMs,
      'queue.buffering.max.kbytes': Math.max(1, Math.floor(s.bufferMemoryBytes / 1024)),
      'queue.buffering.max.messages': s.queueMaxMessages,
      'compression.codec': s.compression,
      'statistics.interval.ms': s.statisticsIntervalMs,
      // How long a topic the cluster says does not exist is waited for before its messages fail
      // with UNKNOWN_TOPIC. librdkafka's 30 s default outlasts the delivery timeout, which would turn
      // a plain typo into an ambiguous, retriable 504.
      // Kept below the answer deadline (a short PRODUCE_DEADLINE_MS lowers it), or a missing topic
      // would be answered 504 (unknown) before it is known missing (404).
      'topic.metadata.propagation.max.ms': Math.min(s.topicPropagationMs, Math.floor(s.messageTimeoutMs / 2), Math.floor(s.deadlineMs / 2)),
      'socket.keepalive.enable': true,
      // librdkafka backs off reconnecting up to 10 s by default: after a long outage the gateway then
      // refused (503) for up to 10 s after the broker was back (7.1 s measured, fault suite fault 1).
      // One attempt a second per broker costs nothing and bounds recovery near 1 s.
      'reconnect.backoff.max.ms': 1000,
      dr_cb: true,
    }, s),
    topic: withPassthrough<ProducerTopicConfig>({
      acks: -1,
      'message.timeout.ms': s.messageTimeoutMs,
      'request.timeout.ms': s.requestTimeoutMs,
    }, s, 'topic'),
  };
}

/** librdkafka's message.send.max.retries default: unbounded for practical purposes. */
const LIBRDKAFKA_DEFAULT_RETRIES = 2_147_483_647;

/** The settings in force, in the seed's vocabulary, for status endpoints. */
export function describeProducerConfig(s: ProducerSettings): Record<string, unknown> {
  return {
    acks: 'all',
    enable_idempotence: s.enableIdempotence,
    // A number, as in the seed's answer: librdkafka's default (INT32_MAX) when unset.
    retries: s.retries ?? LIBRDKAFKA_DEFAULT_RETRIES,
    retry_backoff_ms: s.retryBackoffMs,
    batch_size: s.batchSize,
    linger_ms: s.lingerMs,
    buffer_memory: s.bufferMemoryBytes,
    queue_max_messages: s.queueMaxMessages,
    message_timeout_ms: s.messageTimeoutMs,
    produce_deadline_ms: s.deadlineMs,
    max_in_flight: s.maxInFlight,
    request_timeout_ms: s.requestTimeoutMs,
    compression: s.compression,
    client_id: s.clientId,
    ...describeConnection(s),
  };
}

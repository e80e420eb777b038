import type { ProducerGlobalConfig, ProducerTopicConfig } from 'node-rdkafka';
import type { ProducerSettings } from '../config/config.js';

export interface LibrdkafkaConfig {
  global: ProducerGlobalConfig;
  /** Topic-level settings. node-rdkafka 3.6.1 ignores message.timeout.ms in the global config
   * (measured: no report within 20 s), so the delivery bound must be set here. It is derived from
   * PRODUCE_DEADLINE_MS, a little shorter, so librdkafka usually reports before the gateway's own
   * deadline answers 504 (which it must for messages already in flight: librdkafka does not bound those). */
  topic: ProducerTopicConfig;
}

/** Our typed settings → librdkafka properties. acks=all is not a setting: a 2xx means "written to all in-sync replicas". */
export function toLibrdkafkaConfig(s: ProducerSettings): LibrdkafkaConfig {
  return {
    global: {
      'bootstrap.servers': s.bootstrapServers,
      'client.id': s.clientId,
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
      // Kept below message.timeout.ms (a short PRODUCE_DEADLINE_MS lowers it), or a missing topic
      // would time out (504, unknown) before it is known missing (404).
      'topic.metadata.propagation.max.ms': Math.min(s.topicPropagationMs, Math.floor(s.messageTimeoutMs / 2)),
      'socket.keepalive.enable': true,
      dr_cb: true,
    },
    topic: {
      acks: -1,
      'message.timeout.ms': s.messageTimeoutMs,
      'request.timeout.ms': s.requestTimeoutMs,
    },
  };
}

/** librdkafka's message.send.max.retries default: unbounded for practical purposes. */
const LIBRDKAFKA_DEFAULT_RETRIES = 2_147_483_647;

/** The settings in force, in the seed's vocabulary, for status endpoints. */
export function describeProducerConfig(s: ProducerSettings): Record<string, string | number | boolean> {
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
  };
}

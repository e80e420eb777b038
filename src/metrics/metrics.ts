import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Every metric the gateway exports, declared once. Names follow the Prometheus conventions:
// a kgate_ prefix, base units (seconds, bytes), _total on counters. docs/observability.md lists
// them; test/integration/metrics.test.ts checks the dashboard and alert rules use only these.

/** Seconds; from sub-millisecond (a local broker) up to the default 10 s delivery timeout and beyond. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export type MetricSet = ReturnType<typeof declareMetrics>;

/** A registry of its own (never prom-client's global one), so several gateways in one process do not clash. */
export function declareMetrics(registry: Registry) {
  const registers = [registry];
  const inFlight = { read: () => 0 };
  return {
    registry,
    /** Where kgate_messages_in_flight reads from; the composition root points it at the producer. */
    inFlight,
    build: new Gauge({ name: 'kgate_build_info', help: 'Always 1; labels say which build and runtime is running', labelNames: ['version', 'node'], registers }),
    topicLabels: new Gauge({ name: 'kgate_metrics_topic_labels', help: 'Distinct topics that have a topic label of their own (capped by METRICS_MAX_TOPICS)', registers }),
    http: {
      requests: new Counter({ name: 'kgate_http_requests_total', help: 'HTTP requests answered, by route template, method and status', labelNames: ['route', 'method', 'status'], registers }),
      duration: new Histogram({ name: 'kgate_http_request_duration_seconds', help: 'Time from receiving an HTTP request to the end of its response', labelNames: ['route', 'method'], buckets: LATENCY_BUCKETS, registers }),
    },
    produce: {
      produced: new Counter({ name: 'kgate_messages_produced_total', help: 'Messages the broker acknowledged (acks=all), by topic and HTTP dialect (kgate, cloudevents, rest_v2, rest_v3)', labelNames: ['topic', 'dialect'], registers }),
      failed: new Counter({ name: 'kgate_messages_failed_total', help: 'Messages not written, by topic, reason (the lower-case error code) and HTTP dialect', labelNames: ['topic', 'reason', 'dialect'], registers }),
      ack: new Histogram({ name: 'kgate_produce_ack_duration_seconds', help: 'Time from handing a message to the producer to the broker acknowledgement, by topic', labelNames: ['topic'], buckets: LATENCY_BUCKETS, registers }),
      batchItems: new Histogram({ name: 'kgate_produce_batch_items', help: 'Items per produce request (1 for POST /produce)', buckets: BATCH_BUCKETS, registers }),
      inFlight: new Gauge({
        name: 'kgate_messages_in_flight',
        help: 'Messages handed to the producer and not yet acknowledged or failed',
        registers,
        // Read at scrape time, so the produce path does nothing for it.
        collect() {
          this.set(inFlight.read());
        },
      }),
    },
    delivery: {
      outcomeUnknown: new Counter({ name: 'kgate_delivery_outcome_unknown_total', help: 'Messages answered 504 DELIVERY_OUTCOME_UNKNOWN because no delivery report came within PRODUCE_DEADLINE_MS', registers }),
      lateOutcomes: new Counter({ name: 'kgate_delivery_late_outcomes_total', help: 'Delivery reports for messages already answered 504, by outcome (delivered, or the lower-case error code)', labelNames: ['outcome'], registers }),
      asyncFailed: new Counter({ name: 'kgate_async_messages_failed_total', help: 'Messages accepted with 202 (Prefer: respond-async) that then failed or stayed unknown, by topic and reason', labelNames: ['topic', 'reason'], registers }),
    },
    kafka: {
      queueMessages: new Gauge({ name: 'kgate_kafka_queue_messages', help: 'Messages in the librdkafka producer queue (msg_cnt)', registers }),
      queueBytes: new Gauge({ name: 'kgate_kafka_queue_bytes', help: 'Bytes in the librdkafka producer queue (msg_size)', registers }),
      queueMaxMessages: new Gauge({ name: 'kgate_kafka_queue_max_messages', help: 'Capacity of the librdkafka producer queue in messages (msg_max)', registers }),
      queueMaxBytes: new Gauge({ name: 'kgate_kafka_queue_max_bytes', help: 'Capacity of the librdkafka producer queue in bytes (msg_size_max)', registers }),
      statsTimestamp: new Gauge({ name: 'kgate_kafka_stats_timestamp_seconds', help: 'Unix time of the last librdkafka statistics event', registers }),
      brokerUp: new Gauge({ name: 'kgate_kafka_broker_up', help: '1 while librdkafka reports the broker connection UP, else 0', labelNames: ['broker'], registers }),
      brokerRtt: new Gauge({ name: 'kgate_kafka_broker_rtt_seconds', help: 'Broker round-trip time over the last statistics interval (stat: avg, p50, p99)', labelNames: ['broker', 'stat'], registers }),
      brokerTxErrors: new Counter({ name: 'kgate_kafka_broker_tx_errors_total', help: 'Transmission errors to the broker (librdkafka txerrs)', labelNames: ['broker'], registers }),
      brokerTxRetries: new Counter({ name: 'kgate_kafka_broker_tx_retries_total', help: 'Requests retried to the broker (librdkafka txretries)', labelNames: ['broker'], registers }),
      brokerRequestTimeouts: new Counter({ name: 'kgate_kafka_broker_request_timeouts_total', help: 'Requests to the broker that timed out (librdkafka req_timeouts)', labelNames: ['broker'], registers }),
      brokerDisconnects: new Counter({ name: 'kgate_kafka_broker_disconnects_total', help: 'Connections to the broker lost (librdkafka disconnects)', labelNames: ['broker'], registers }),
      oauthbearerRefreshes: new Counter({
        name: 'kgate_kafka_oauthbearer_refreshes_total',
        help: 'OAUTHBEARER token refreshes from the token endpoint, by outcome (ok, failed: retried with backoff)',
        labelNames: ['outcome'],
        registers,
      }),
    },
    serdes: {
      lookups: new Counter({
        name: 'kgate_schema_lookups_total',
        help: "Schema lookups of topics with a registry value format, by format and result (hit: cached; miss: asked the registry; stale: an expired entry kept because the registry did not answer)",
        labelNames: ['format', 'result'],
        registers,
      }),
      registryCalls: new Counter({ name: 'kgate_schema_registry_requests_total', help: 'Calls to the schema registry, by outcome (ok, not_found, unavailable)', labelNames: ['outcome'], registers }),
      encodeFailures: new Counter({
        name: 'kgate_value_encode_failures_total',
        help: 'Messages of a registry value format refused before hand-over, by format and reason (the lower-case error code)',
        labelNames: ['format', 'reason'],
        registers,
      }),
    },
    webhooks: {
      deliveries: new Counter({
        name: 'kgate_webhook_deliveries_total',
        help: 'Webhook outcomes: delivered (2xx), failed (one attempt, retried), given_up, dropped (queue full), stale (event too old to send)',
        labelNames: ['outcome'],
        registers,
      }),
    },
  };
}

/** The registry with every gateway metric and Node's process metrics (event-loop lag, heap, GC). */
export function createMetricSet(version: string): MetricSet {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges *_total, which Prometheus reserves for counters (promtool
  // check metrics flags them). The same numbers remain, by type, in nodejs_active_handles etc.
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  const set = declareMetrics(registry);
  set.build.labels(version, process.version).set(1);
  return set;
}

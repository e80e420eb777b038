import { performance } from 'node:perf_hooks';
import type { Counter, Histogram } from 'prom-client';
import type { MetricsSettings } from '../config/config.js';
import type { Ack, KafkaRecord, LateOutcome, RdKafkaStats } from '../kafka/producer.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { ItemOutcome } from '../pipeline/types.js';
import { createMetricSet, type MetricSet } from './metrics.js';
import { RdkafkaStatsMapper } from './rdkafka-stats.js';
import { TopicLabels } from './topic-labels.js';

export type Produce = (record: KafkaRecord) => Promise<Ack>;

/** What the metrics need of the producer: its in-flight count and its 'stats' events. */
export interface ObservedProducer {
  readonly inFlight: number;
  on(event: 'stats', listener: (stats: RdKafkaStats) => void): unknown;
  on(event: 'outcome-unknown', listener: (count: number) => void): unknown;
  on(event: 'late-outcome', listener: (outcome: LateOutcome) => void): unknown;
}

/**
 * The composition root's one handle on metrics. Each hook wraps a collaborator without the
 * collaborator knowing: the pipeline and the producer import nothing from here. With metrics off
 * every hook is a pass-through and there is no registry (so no /metrics route).
 */
export interface GatewayMetrics {
  readonly set: MetricSet | undefined;
  watchProducer(producer: ObservedProducer): void;
  /** Ack latency per topic; a topic earns its own label on its first acknowledgement. */
  timeProduce(produce: Produce): Produce;
  /** Produced/failed counts from each item's outcome, and the items per request. */
  watchPipeline(pipeline: Pipeline): Pipeline;
  /** Failures of messages already answered 202 (Prefer: respond-async), per topic and reason. */
  countAsyncFailures(outcomes: readonly ItemOutcome[]): void;
}

const disabled: GatewayMetrics = {
  set: undefined,
  watchProducer: () => {},
  timeProduce: (produce) => produce,
  watchPipeline: (pipeline) => pipeline,
  countAsyncFailures: () => {},
};

/** The `dialect` label of kgate's own /produce routes. */
const OWN_DIALECT = 'kgate';

interface TopicSeries {
  topic: string;
  dialect: string;
  produced: Counter.Internal;
  failed: Map<string, Counter.Internal>;
}

export function createGatewayMetrics(settings: MetricsSettings, version: string): GatewayMetrics {
  if (!settings.enabled) return disabled;
  const set = createMetricSet(version);
  const labels = new TopicLabels(settings.maxTopics);
  // Label children per (dialect, topic label), made once: the hot path does two Map lookups, not a label hash.
  const dialects = new Map<string, Map<string, TopicSeries>>();
  const seriesFor = (topic: string, dialect: string): TopicSeries => {
    let series = dialects.get(dialect);
    if (!series) dialects.set(dialect, (series = new Map()));
    let s = series.get(topic);
    if (!s) {
      s = { topic, dialect, produced: set.produce.produced.labels(topic, dialect), failed: new Map() };
      series.set(topic, s);
      set.topicLabels.set(labels.size);
    }
    return s;
  };
  // Ack latency is per topic, whatever the dialect.
  const acks = new Map<string, Histogram.Internal<string>>();
  const ackFor = (topic: string): Histogram.Internal<string> => {
    let ack = acks.get(topic);
    if (!ack) {
      acks.set(topic, (ack = set.produce.ack.labels(topic)));
      set.topicLabels.set(labels.size);
    }
    return ack;
  };
  const countFailure = (s: TopicSeries, code: string): void => {
    let child = s.failed.get(code);
    if (!child) s.failed.set(code, (child = set.produce.failed.labels(s.topic, code.toLowerCase(), s.dialect)));
    child.inc();
  };

  return {
    set,
    watchProducer(producer) {
      const stats = new RdkafkaStatsMapper(set.kafka);
      producer.on('stats', (s) => stats.apply(s));
      set.inFlight.read = () => producer.inFlight;
      producer.on('outcome-unknown', (count) => set.delivery.outcomeUnknown.inc(count));
      producer.on('late-outcome', (o) => set.delivery.lateOutcomes.labels(o.delivered ? 'delivered' : (o.code ?? 'unknown').toLowerCase()).inc());
    },
    countAsyncFailures(outcomes) {
      for (const o of outcomes) {
        if (!o.success) set.delivery.asyncFailed.labels(labels.lookup(o.topic), o.error.code.toLowerCase()).inc();
      }
    },
    timeProduce(produce) {
      return (record) => {
        const started = performance.now();
        // The topic alone is kept until the acknowledgement, not the record: its value (a Buffer
        // librdkafka has already copied) would otherwise live ~100 ms per message under a batch.
        const topic = record.topic;
        return produce(record).then((ack) => {
          // Only an acknowledged topic is admitted: it exists and its name is legal.
          ackFor(labels.admit(topic)).observe((performance.now() - started) / 1000);
          return ack;
        });
      };
    },
    watchPipeline(pipeline) {
      const count = (outcomes: ItemOutcome[], dialect: string): ItemOutcome[] => {
        for (const outcome of outcomes) {
          const s = seriesFor(labels.lookup(outcome.topic), dialect);
          if (outcome.success) s.produced.inc();
          else countFailure(s, outcome.error.code);
        }
        return outcomes;
      };
      return {
        run(rawItems, ctx, normaliseItem) {
          set.produce.batchItems.observe(rawItems.length);
          const dialect = ctx.dialect ?? OWN_DIALECT;
          return pipeline.run(rawItems, ctx, normaliseItem).then((outcomes) => count(outcomes, dialect));
        },
        submit(rawItems, ctx, normaliseItem) {
          set.produce.batchItems.observe(rawItems.length);
          const dialect = ctx.dialect ?? OWN_DIALECT;
          const submitted = pipeline.submit(rawItems, ctx, normaliseItem);
          return { immediate: submitted.immediate, settled: submitted.settled.then((outcomes) => count(outcomes, dialect)) };
        },
      };
    },
  };
}

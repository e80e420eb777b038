import type { RdKafkaStats } from '../kafka/producer.js';
import type { MetricSet } from './metrics.js';

/** The per-broker fields we read from librdkafka's statistics JSON (librdkafka STATISTICS.md). */
interface BrokerStats {
  name?: string;
  state?: string;
  txerrs?: number;
  txretries?: number;
  req_timeouts?: number;
  disconnects?: number;
  /** Microseconds, over the last statistics interval; cnt is how many requests it saw. */
  rtt?: { avg?: number; p50?: number; p99?: number; cnt?: number };
}

type Totals = Record<'txerrs' | 'txretries' | 'req_timeouts' | 'disconnects', number>;
const TOTAL_FIELDS = ['txerrs', 'txretries', 'req_timeouts', 'disconnects'] as const;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Turns each statistics event (every statistics.interval.ms) into gauges and counters. librdkafka
 * reports running totals; Prometheus counters only go up, so each event adds the increase since the
 * previous one. A broker that leaves the statistics (bootstrap entry replaced, cluster shrunk) has
 * its series removed, so the broker label stays bounded by the cluster's size.
 */
export class RdkafkaStatsMapper {
  private readonly totals = new Map<string, Totals>();

  constructor(private readonly kafka: MetricSet['kafka']) {}

  apply(stats: RdKafkaStats, nowMs = Date.now()): void {
    const k = this.kafka;
    setIf(k.queueMessages, num(stats.msg_cnt));
    setIf(k.queueBytes, num(stats.msg_size));
    setIf(k.queueMaxMessages, num(stats['msg_max']));
    setIf(k.queueMaxBytes, num(stats['msg_size_max']));
    k.statsTimestamp.set(nowMs / 1000);

    const seen = new Set<string>();
    for (const [key, raw] of Object.entries(stats.brokers ?? {})) {
      const b = raw as BrokerStats;
      const broker = typeof b.name === 'string' ? b.name : key;
      seen.add(broker);
      k.brokerUp.labels(broker).set(b.state === 'UP' ? 1 : 0);
      // No request in the interval means no measurement, not a zero round trip: keep the last value.
      if (b.rtt && (num(b.rtt.cnt) ?? 0) > 0) {
        for (const stat of ['avg', 'p50', 'p99'] as const) {
          const micros = num(b.rtt[stat]);
          if (micros !== undefined) k.brokerRtt.labels(broker, stat).set(micros / 1e6);
        }
      }
      this.addIncrease(broker, b);
    }
    for (const broker of [...this.totals.keys()]) {
      if (!seen.has(broker)) this.forget(broker);
    }
  }

  private addIncrease(broker: string, b: BrokerStats): void {
    const before = this.totals.get(broker);
    const now = {} as Totals;
    for (const field of TOTAL_FIELDS) now[field] = num(b[field]) ?? before?.[field] ?? 0;
    const counters = this.counters();
    for (const field of TOTAL_FIELDS) {
      const previous = before?.[field] ?? 0;
      // A smaller total means librdkafka started this broker's counts afresh: all of it is new.
      const increase = now[field] >= previous ? now[field] - previous : now[field];
      // inc(0) on first sight makes the series exist at 0, so increase() over it works from the start.
      counters[field].labels(broker).inc(increase);
    }
    this.totals.set(broker, now);
  }

  private forget(broker: string): void {
    this.totals.delete(broker);
    const k = this.kafka;
    k.brokerUp.remove(broker);
    for (const stat of ['avg', 'p50', 'p99']) k.brokerRtt.remove(broker, stat);
    for (const counter of Object.values(this.counters())) counter.remove(broker);
  }

  private counters() {
    const k = this.kafka;
    return { txerrs: k.brokerTxErrors, txretries: k.brokerTxRetries, req_timeouts: k.brokerRequestTimeouts, disconnects: k.brokerDisconnects };
  }
}

function setIf(gauge: { set(v: number): void }, value: number | undefined): void {
  if (value !== undefined) gauge.set(value);
}

import { expect } from 'chai';
import { Registry } from 'prom-client';
import type { RdKafkaStats } from '../../../src/kafka/producer.js';
import { declareMetrics } from '../../../src/metrics/metrics.js';
import { RdkafkaStatsMapper } from '../../../src/metrics/rdkafka-stats.js';
import { parseSamples, valueOf } from '../../helpers/prometheus.js';

// Shaped like a real statistics event of node-rdkafka 3.6.1 against the test broker (trimmed).
function stats(over: { state?: string; rttCnt?: number; txerrs?: number; disconnects?: number; brokers?: string[] } = {}): RdKafkaStats {
  const brokers: Record<string, unknown> = {};
  for (const name of over.brokers ?? ['127.0.0.1:9092/1']) {
    brokers[name] = {
      name,
      nodeid: 1,
      state: over.state ?? 'UP',
      txerrs: over.txerrs ?? 0,
      txretries: 0,
      req_timeouts: 0,
      disconnects: over.disconnects ?? 0,
      rtt: { min: 407, max: 3064, avg: 1522, p50: 1087, p99: 3071, cnt: over.rttCnt ?? 7 },
    };
  }
  return { ts: 1, msg_cnt: 12, msg_size: 3400, msg_max: 100000, msg_size_max: 33554432, brokers } as unknown as RdKafkaStats;
}

describe('librdkafka statistics → metrics', () => {
  let registry: Registry;
  let mapper: RdkafkaStatsMapper;
  const samples = async () => parseSamples(await registry.metrics());
  beforeEach(() => {
    registry = new Registry();
    mapper = new RdkafkaStatsMapper(declareMetrics(registry).kafka);
  });

  it('sets queue depth, capacity and the time of the event', async () => {
    mapper.apply(stats(), 1_700_000_000_000);
    const s = await samples();
    expect(valueOf(s, 'kgate_kafka_queue_messages')).to.equal(12);
    expect(valueOf(s, 'kgate_kafka_queue_bytes')).to.equal(3400);
    expect(valueOf(s, 'kgate_kafka_queue_max_messages')).to.equal(100000);
    expect(valueOf(s, 'kgate_kafka_queue_max_bytes')).to.equal(33554432);
    expect(valueOf(s, 'kgate_kafka_stats_timestamp_seconds')).to.equal(1_700_000_000);
  });

  it('reports connection state and round-trip time per broker, microseconds → seconds', async () => {
    mapper.apply(stats());
    let s = await samples();
    const broker = '127.0.0.1:9092/1';
    expect(valueOf(s, 'kgate_kafka_broker_up', { broker })).to.equal(1);
    expect(valueOf(s, 'kgate_kafka_broker_rtt_seconds', { broker, stat: 'avg' })).to.be.closeTo(0.001522, 1e-9);
    expect(valueOf(s, 'kgate_kafka_broker_rtt_seconds', { broker, stat: 'p99' })).to.be.closeTo(0.003071, 1e-9);
    mapper.apply(stats({ state: 'TRY_CONNECT' }));
    s = await samples();
    expect(valueOf(s, 'kgate_kafka_broker_up', { broker })).to.equal(0);
  });

  it('keeps the last round-trip time through an interval without requests', async () => {
    mapper.apply(stats());
    mapper.apply(stats({ rttCnt: 0 }));
    const s = await samples();
    expect(valueOf(s, 'kgate_kafka_broker_rtt_seconds', { stat: 'p50' })).to.be.closeTo(0.001087, 1e-9);
  });

  it('turns librdkafka running totals into counters that only go up', async () => {
    mapper.apply(stats({ txerrs: 0 }));
    expect(valueOf(await samples(), 'kgate_kafka_broker_tx_errors_total')).to.equal(0);
    mapper.apply(stats({ txerrs: 3, disconnects: 1 }));
    mapper.apply(stats({ txerrs: 5, disconnects: 1 }));
    let s = await samples();
    expect(valueOf(s, 'kgate_kafka_broker_tx_errors_total')).to.equal(5);
    expect(valueOf(s, 'kgate_kafka_broker_disconnects_total')).to.equal(1);
    // A smaller total: librdkafka counts afresh, so everything it reports is new.
    mapper.apply(stats({ txerrs: 2, disconnects: 1 }));
    s = await samples();
    expect(valueOf(s, 'kgate_kafka_broker_tx_errors_total')).to.equal(7);
  });

  it('drops the series of a broker that left the statistics', async () => {
    mapper.apply(stats({ brokers: ['127.0.0.1:9092/bootstrap'] }));
    mapper.apply(stats({ brokers: ['127.0.0.1:9092/1'] }));
    const s = await samples();
    const brokers = new Set(s.filter((x) => x.labels['broker']).map((x) => x.labels['broker']));
    expect([...brokers]).to.deep.equal(['127.0.0.1:9092/1']);
  });

  it('ignores fields that are missing or not numbers', async () => {
    mapper.apply({ brokers: { x: { name: 'x', state: 'UP', txerrs: 'junk' } } } as unknown as RdKafkaStats);
    const s = await samples();
    expect(valueOf(s, 'kgate_kafka_broker_up', { broker: 'x' })).to.equal(1);
    expect(valueOf(s, 'kgate_kafka_broker_tx_errors_total', { broker: 'x' })).to.equal(0);
  });
});

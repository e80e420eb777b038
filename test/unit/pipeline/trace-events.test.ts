import { expect } from 'chai';
import { GatewayError } from '../../../src/errors/gateway-error.js';
import type { KafkaRecord } from '../../../src/kafka/producer.js';
import { createDeadLetter } from '../../../src/pipeline/dead-letter.js';
import { createPipeline } from '../../../src/pipeline/pipeline.js';
import type { Logger } from '../../../src/logging/logger.js';
import type { RequestSpans, SpanAttributes } from '../../../src/tracing/types.js';

// The pipeline and the dead-letter writer against the small tracing interface they call, handed in as
// a recording fake (the OpenTelemetry side is tested in test/unit/tracing/ and test/integration/tracing.test.ts).
const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const silent = (() => {}) as unknown as Logger['error'];
const limits = { bodyBytes: 1 << 20, batchItems: 100, keyBytes: 4096, headersCount: 64, headerValueBytes: 8192 };

function recordingSpans() {
  const calls: Array<[string, unknown]> = [];
  const spans: RequestSpans = {
    traceresponse: TP,
    recording: true,
    event: (name: string, attributes: SpanAttributes) => void calls.push([`event ${name}`, attributes]),
    producer: (record: KafkaRecord, own: string | undefined, count: number) => {
      calls.push(['producer', { topic: record.topic, own, count }]);
      return { acked: (ack) => void calls.push(['acked', ack]), failed: (err) => void calls.push(['failed', (err as GatewayError).code]) };
    },
    end: () => {},
  };
  return { spans, calls };
}

describe('pipeline and dead letters: trace events and producer spans (tracing interface)', () => {
  it('a producer span per handed-over record, ended by the ack or the failure; refusals are events', async () => {
    const { spans, calls } = recordingSpans();
    let n = 0;
    const pipeline = createPipeline({
      limits,
      source: 'test',
      validate: () => {},
      produce: (record) => (record.key === 'bad' ? Promise.reject(new GatewayError('MESSAGE_TOO_LARGE')) : Promise.resolve({ partition: 0, offset: n++ })),
      log: { error: silent },
    });
    const ctx = { requestId: 'r', receivedAt: new Date(0), trace: { traceparent: TP, tracestate: undefined, traceId: TP.slice(3, 35), spans } };
    const outcomes = await pipeline.run(
      [{ topic: 't', message: 1 }, { topic: 't', key: 'bad', message: 2 }, { topic: 't' }, { topic: 't', message: 3, headers: { traceparent: TP } }],
      ctx,
    );
    expect(outcomes.map((o) => o.success)).to.deep.equal([true, false, false, true]);
    expect(calls).to.deep.include.members([
      ['producer', { topic: 't', own: undefined, count: 4 }],
      ['producer', { topic: 't', own: TP, count: 4 }],
      ['acked', { partition: 0, offset: 0 }],
      ['failed', 'MESSAGE_TOO_LARGE'],
      ['event kgate.message.refused', { 'error.type': 'MISSING_FIELD' }],
    ]);
    expect(calls.filter(([what]) => what === 'producer')).to.have.length(3);
  });

  it('a dead-lettered message: an event on the request span, and the dead-letter record carries the traceparent', async () => {
    const { spans, calls } = recordingSpans();
    const written: KafkaRecord[] = [];
    const deadLetter = createDeadLetter({ topic: 'dlq', source: 'test', produce: async (r) => (written.push(r), { partition: 0, offset: 0 }), log: { warn: silent } });
    deadLetter({ topic: 'orders', message: {}, headers: {} }, { requestId: 'r', receivedAt: new Date(0), trace: { traceparent: TP, tracestate: undefined, traceId: '', spans } }, new GatewayError('SCHEMA_VALIDATION_FAILED'));
    expect(calls).to.deep.equal([['event kgate.message.dead_lettered', { 'messaging.destination.name': 'dlq', 'kgate.original_topic': 'orders', 'error.type': 'SCHEMA_VALIDATION_FAILED' }]]);
    expect(written[0]!.headers).to.deep.include({ traceparent: TP });
  });
});

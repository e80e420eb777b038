import { expect } from 'chai';
import type { Limits } from '../../../src/config/config.js';
import { GatewayError } from '../../../src/errors/gateway-error.js';
import { OutcomeUnknownError, type Ack, type KafkaRecord } from '../../../src/kafka/producer.js';
import { createDeadLetter } from '../../../src/pipeline/dead-letter.js';
import { normalise } from '../../../src/pipeline/normalise.js';
import { createPipeline, type Validate } from '../../../src/pipeline/pipeline.js';
import { serialise } from '../../../src/pipeline/serialise.js';
import { enrich, metadataFor } from '../../../src/pipeline/enrich.js';
import { createSchemaValidate } from '../../../src/pipeline/validate.js';
import { loadSchemaRegistry } from '../../../src/schemas/registry.js';
import type { RequestContext } from '../../../src/shared/request-context.js';
import { objectSchema, schemaDir } from '../../helpers/schema-dir.js';

const limits: Limits = { bodyBytes: 1 << 20, batchItems: 100, keyBytes: 256, headersCount: 10, headerValueBytes: 1024 };
const ctx: RequestContext = { requestId: 'req-1', receivedAt: new Date('2026-12-04T12:00:00Z'), client: { name: 'orders' } };

/** A producer without a broker: each record is answered by `answer`, and kept. */
function fakeProducer(answer: (record: KafkaRecord) => Promise<Ack>) {
  const records: KafkaRecord[] = [];
  return {
    records,
    produce: (record: KafkaRecord) => {
      records.push(record);
      return answer(record);
    },
  };
}

function pipelineWith(produce: (record: KafkaRecord) => Promise<Ack>, validate: Validate = () => {}) {
  const errors: unknown[] = [];
  const pipeline = createPipeline({ limits, source: 'kgate-test', validate, produce, log: { error: (_m: string, meta: unknown) => void errors.push(meta) } as never });
  return { pipeline, errors };
}

const header = (record: KafkaRecord, name: string) => record.headers.find((h) => name in h)?.[name];

describe('pipeline core with a fake producer (no broker)', () => {
  it('accepted: the broker acknowledgement becomes the outcome, and the record is the enriched, serialised item', async () => {
    const fake = fakeProducer(async () => ({ partition: 2, offset: 41 }));
    const { pipeline } = pipelineWith(fake.produce);
    const [outcome] = await pipeline.run([{ topic: 'orders', key: 'k1', message: { amount: 3 }, headers: { trace: 'abc' } }], ctx);
    expect(outcome).to.deep.equal({ success: true, topic: 'orders', partition: 2, offset: 41, timestamp: '2026-12-04T12:00:00.000Z' });
    const [record] = fake.records;
    expect(record).to.include({ topic: 'orders', key: 'k1', timestampMs: ctx.receivedAt.getTime(), requestId: 'req-1' });
    expect(JSON.parse(record!.value.toString())).to.deep.equal({ amount: 3, timestamp: '2026-12-04T12:00:00.000Z', source: 'kgate-test', server_time: ctx.receivedAt.getTime() / 1000, request_id: 'req-1' });
    expect(header(record!, 'trace')).to.equal('abc');
    expect(header(record!, 'kgate-client')).to.equal('orders');
  });

  it('bad input and a refusal before hand-over are outcomes of their item alone; the other items are written', async () => {
    let calls = 0;
    const fake = fakeProducer(async () => ({ partition: 0, offset: calls++ }));
    const refusing = (record: KafkaRecord): Promise<Ack> => {
      if (record.topic === 'full') throw new GatewayError('QUEUE_FULL'); // thrown synchronously, as the real producer does
      return fake.produce(record);
    };
    const { pipeline } = pipelineWith(refusing);
    const outcomes = await pipeline.run([{ topic: 'a', message: 1 }, { topic: '', message: 2 }, { topic: 'full', message: 3 }, { topic: 'b', message: 4 }], ctx);
    expect(outcomes.map((o) => (o.success ? 'ok' : o.error.code))).to.deep.equal(['ok', 'MISSING_FIELD', 'QUEUE_FULL', 'ok']);
    expect(outcomes[2]).to.include({ success: false, topic: 'full' });
    expect(fake.records.map((r) => r.topic)).to.deep.equal(['a', 'b']);
  });

  it('submit tells at once which items were refused and which are queued', async () => {
    const fake = fakeProducer(async () => ({ partition: 0, offset: 7 }));
    const { pipeline } = pipelineWith(fake.produce);
    const { immediate, settled } = pipeline.submit([{ topic: 'a', message: 1 }, { message: 2 }], ctx);
    expect(immediate[0]).to.equal(undefined);
    expect(immediate[1]).to.include({ success: false });
    const outcomes = await settled;
    expect(outcomes[0]).to.include({ success: true, offset: 7 });
  });

  it('outcome unknown: a 504 outcome that carries the eventual outcome once the report comes', async () => {
    let report!: (ack: Ack) => void;
    const eventual = new Promise<Ack>((resolve) => (report = resolve));
    const { pipeline } = pipelineWith(() => Promise.reject(new OutcomeUnknownError(eventual, { deadline_ms: 100 })));
    const [outcome] = await pipeline.run([{ topic: 'slow', message: 1 }], ctx);
    if (outcome === undefined || outcome.success) throw new Error('expected a failed outcome');
    expect(outcome.error.code).to.equal('DELIVERY_OUTCOME_UNKNOWN');
    expect(outcome.error.status).to.equal(504);
    report({ partition: 1, offset: 99 });
    expect(await outcome.eventual).to.deep.equal({ success: true, topic: 'slow', partition: 1, offset: 99, timestamp: '2026-12-04T12:00:00.000Z' });
  });

  it('rejected by the broker: the GatewayError is the outcome; an unexpected error is INTERNAL and logged with its cause', async () => {
    const rejected = pipelineWith(() => Promise.reject(new GatewayError('RECORD_REJECTED')));
    const [outcome] = await rejected.pipeline.run([{ topic: 'policy', message: 1 }], ctx);
    expect(outcome).to.include({ success: false, topic: 'policy' });
    expect(!outcome!.success && outcome!.error.code).to.equal('RECORD_REJECTED');

    const broken = pipelineWith(() => Promise.reject(new Error('bug in a stage')));
    const [internal] = await broken.pipeline.run([{ topic: 't', message: 1 }], ctx);
    expect(!internal!.success && internal!.error.code).to.equal('INTERNAL');
    expect(broken.errors).to.have.length(1);
    expect((broken.errors[0] as { err: Error }).err.message).to.equal('bug in a stage');
  });

  it('dead-lettered: a message its schema refuses is answered 400 and written, whole and with the reason, to the dead-letter topic', async () => {
    const registry = loadSchemaRegistry(schemaDir({ 'orders/1.0.0.json': objectSchema('/orders/1.0.0', { amount: { type: 'integer' } }, ['amount']) }));
    const fake = fakeProducer(async () => ({ partition: 0, offset: 1 }));
    const validate = createSchemaValidate({
      registry,
      unregisteredTopics: 'accept',
      maxDepth: 8,
      deadLetter: createDeadLetter({ topic: 'dlq', source: 'kgate-test', produce: fake.produce, log: { warn: () => {} } as never }),
    });
    const { pipeline } = pipelineWith(fake.produce, validate);
    const [outcome] = await pipeline.run([{ topic: 'orders', key: 'k', message: { amount: 'ten' } }], ctx);
    expect(!outcome!.success && outcome!.error.code).to.equal('SCHEMA_VALIDATION_FAILED');
    expect(fake.records.map((r) => r.topic)).to.deep.equal(['dlq']);
    const dead = JSON.parse(fake.records[0]!.value.toString());
    expect(dead).to.include({ original_topic: 'orders', request_id: 'req-1', key: 'k' });
    expect(dead.message).to.deep.equal({ amount: 'ten' });
    expect(dead.error.code).to.equal('SCHEMA_VALIDATION_FAILED');
    expect(header(fake.records[0]!, 'kgate-original-topic')).to.equal('orders');
  });
});

describe('normalise and serialise', () => {
  it('normalise returns the canonical item and names the field it refuses', () => {
    expect(normalise({ topic: 'orders', message: { a: 1 } }, limits)).to.deep.equal({ topic: 'orders', message: { a: 1 }, headers: {} });
    const refusal = (raw: unknown) => {
      try {
        normalise(raw, limits);
      } catch (err) {
        return (err as GatewayError).code;
      }
      return 'accepted';
    };
    expect(refusal([])).to.equal('INVALID_BODY');
    expect(refusal({ topic: 'orders', message: 1, extra: true })).to.equal('INVALID_FIELD');
    expect(refusal({ topic: '__consumer_offsets', message: 1 })).to.equal('INVALID_TOPIC');
    expect(refusal({ topic: 'orders', message: 1, key: 'k'.repeat(257) })).to.equal('INVALID_KEY');
    expect(refusal({ topic: 'orders', message: 1, partition: -1 })).to.equal('INVALID_PARTITION');
  });

  it('serialise writes JSON text as the value, the key as given, the receive time as the timestamp', () => {
    const item = normalise({ topic: 'orders', key: 'k', partition: 3, message: 'plain' }, limits);
    const record = serialise(enrich(item, metadataFor(ctx, 'src')), ctx.receivedAt);
    expect(record).to.include({ topic: 'orders', key: 'k', partition: 3, timestampMs: ctx.receivedAt.getTime() });
    // A non-object message is written as it came, without metadata fields.
    expect(record.value.toString()).to.equal('"plain"');
  });
});

describe('pipeline: a traced request keeps every rule of an untraced one', () => {
  it('MAX_IN_FLIGHT_PER_CLIENT holds with spans on: the over-share item is refused (OVERLOADED), its producer span fails, the share is given back', async () => {
    const taken: string[] = [];
    let inFlight = 0;
    const share = {
      limit: 1,
      take: (client: string) => (inFlight < 1 ? (taken.push(client), ++inFlight, true) : false),
      release: () => void inFlight--,
    };
    const events: string[] = [];
    const spans = {
      traceresponse: undefined,
      recording: true,
      event: () => {},
      end: () => {},
      producer: (record: { topic: string }) => ({
        acked: () => events.push(`acked ${record.topic}`),
        failed: (err: unknown) => events.push(`failed ${(err as GatewayError).code}`),
      }),
    };
    const traced: RequestContext = { ...ctx, trace: { traceparent: undefined, tracestate: undefined, traceId: undefined, spans } };
    const fake = fakeProducer(async () => ({ partition: 0, offset: 1 }));
    const pipeline = createPipeline({ limits, source: 'kgate-test', validate: () => {}, produce: fake.produce, share, log: { error: () => {} } as never });
    const outcomes = await pipeline.run([{ topic: 'a', message: { n: 1 }, headers: {} }, { topic: 'b', message: { n: 2 }, headers: {} }], traced);
    expect(outcomes.map((o) => (o.success ? 'ok' : o.error.code))).to.deep.equal(['ok', 'OVERLOADED']);
    expect(fake.records.map((r) => r.topic)).to.deep.equal(['a']);
    expect(events.sort()).to.deep.equal(['acked a', 'failed OVERLOADED']);
    expect(inFlight, 'the share is given back with the outcome').to.equal(0);
    expect(taken).to.deep.equal(['orders']);
  });
});

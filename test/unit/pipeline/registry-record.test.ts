import { expect } from 'chai';
import type { Limits } from '../../../src/config/config.js';
import type { Ack, KafkaRecord } from '../../../src/kafka/producer.js';
import { createPipeline, type Normalise } from '../../../src/pipeline/pipeline.js';
import type { ProduceItem } from '../../../src/pipeline/types.js';
import { frame } from '../../../src/serdes/wire-format.js';
import type { Pin } from '../../../src/serdes/schema-source.js';
import type { TopicFormat } from '../../../src/serdes/topic-formats.js';
import type { ValueEncoder } from '../../../src/serdes/value-encoder.js';
import type { RequestContext } from '../../../src/shared/request-context.js';

const limits: Limits = { bodyBytes: 1 << 20, batchItems: 100, keyBytes: 256, headersCount: 10, headerValueBytes: 1024 };
const ctx: RequestContext = { requestId: 'req-1', receivedAt: new Date('2026-12-04T12:00:00Z'), dialect: 'rest_v3' };

/** An encoder without a registry: `orders` is Avro (schema id 7, or the pinned id), `users` JSON Schema, the rest plain JSON. */
function fakeEncoder(): { encoder: ValueEncoder; pins: Array<Pin | undefined> } {
  const pins: Array<Pin | undefined> = [];
  const formats: Record<string, TopicFormat> = { orders: { format: 'avro', recordName: undefined }, users: { format: 'jsonschema', recordName: undefined } };
  return {
    pins,
    encoder: {
      formatOf: (topic) => formats[topic],
      subjectOf: (topic) => ({ subject: `${topic}-value`, strategy: 'TopicNameStrategy' }),
      encode(message, _topic, _format, pin) {
        pins.push(pin);
        return frame(pin?.schemaId ?? 7, Buffer.from(JSON.stringify(message)));
      },
    },
  };
}

function pipelineWith(encoder: ValueEncoder | undefined) {
  const records: KafkaRecord[] = [];
  const produce = async (record: KafkaRecord): Promise<Ack> => {
    records.push(record);
    return { partition: 0, offset: records.length - 1 };
  };
  const pipeline = createPipeline({
    limits,
    source: 'kgate-test',
    validate: () => {},
    produce,
    log: { error: () => {} } as never,
    ...(encoder ? { registry: { encoder, maxDepth: 32 } } : {}),
  });
  return { pipeline, records };
}

const asItem: Normalise = (raw) => raw as ProduceItem;
const item = (topic: string, extra: Partial<ProduceItem> = {}): ProduceItem => ({ topic, message: { id: 1 }, headers: {}, declaredFormat: 'avro', ...extra });

describe('pipeline: dialect items that declare a registry format (REST Proxy schema-typed records)', () => {
  it('written when the topic has that format, encoded by the one encoder; the outcome names the schema id used', async () => {
    const { encoder, pins } = fakeEncoder();
    const { pipeline, records } = pipelineWith(encoder);
    const outcomes = await pipeline.run([item('orders'), item('orders', { schemaId: 3 }), item('orders', { declaredFormat: 'registry', schemaVersion: 2 })], ctx, asItem);
    expect(outcomes.map((o) => o.success && o.schemaId)).to.deep.equal([7, 3, 7]);
    expect(pins).to.deep.equal([undefined, { schemaId: 3 }, { schemaVersion: 2 }]);
    expect(records.map((r) => r.value.readUInt32BE(1))).to.deep.equal([7, 3, 7]);
    expect(JSON.parse(records[0]!.value.subarray(5).toString())).to.deep.equal({ id: 1 });
  });

  it('a format other than the topic\'s, or a topic without one: VALUE_FORMAT_MISMATCH naming both; nothing written', async () => {
    const { encoder } = fakeEncoder();
    const { pipeline, records } = pipelineWith(encoder);
    const [other, plain] = await pipeline.run([item('users'), item('plain')], ctx, asItem);
    expect(other!.success).to.equal(false);
    if (other!.success || plain!.success) return;
    expect(other!.error).to.include({ code: 'VALUE_FORMAT_MISMATCH', status: 422 });
    expect(other!.error.message).to.contain('avro value').and.contain('is jsonschema');
    expect(other!.error.toJSON()).to.include({ declared_format: 'avro', topic_format: 'jsonschema' });
    expect(plain!.error.code).to.equal('VALUE_FORMAT_MISMATCH');
    expect(plain!.error.message).to.contain('no registry value format');
    expect(records).to.have.length(0);
    // A gateway without any registry settings refuses it the same way.
    const none = pipelineWith(undefined);
    const [refused] = await none.pipeline.run([item('orders', { declaredFormat: 'registry' })], ctx, asItem);
    expect(!refused!.success && refused!.error.code).to.equal('VALUE_FORMAT_MISMATCH');
  });

  it('a subject or strategy is accepted when it is kgate\'s own, refused naming the one kgate uses otherwise', async () => {
    const { encoder } = fakeEncoder();
    const { pipeline } = pipelineWith(encoder);
    const outcomes = await pipeline.run(
      [item('orders', { subject: 'orders-value', subjectStrategy: 'TopicNameStrategy' }), item('orders', { subject: 'other-value' }), item('orders', { subjectStrategy: 'RecordNameStrategy' })],
      ctx,
      asItem,
    );
    expect(outcomes[0]!.success).to.equal(true);
    const errors = outcomes.slice(1).map((o) => (o.success ? undefined : o.error.toJSON()));
    expect(errors[0]).to.include({ code: 'INVALID_FIELD', field: 'value.subject', subject: 'orders-value' });
    expect(errors[1]).to.include({ code: 'INVALID_FIELD', field: 'value.subject_name_strategy' });
  });

  it('a plain item on a registry topic carries the schema id on its outcome too; a plain topic\'s outcome has none', async () => {
    const { encoder } = fakeEncoder();
    const { pipeline } = pipelineWith(encoder);
    const [registry, plain] = await pipeline.run([{ topic: 'orders', message: { id: 2 } }, { topic: 'plain', message: { id: 3 } }], ctx);
    expect(registry).to.include({ success: true, schemaId: 7 });
    expect(plain).to.not.have.property('schemaId');
  });
});

import { expect } from 'chai';
import { loadConfig } from '../../../../src/config/config.js';
import { GatewayError } from '../../../../src/errors/gateway-error.js';
import { offsetsAnswer, restErrorAnswer } from '../../../../src/http/dialects/rest-proxy/answers-v2.js';
import { recordsOf, recordToItem } from '../../../../src/http/dialects/rest-proxy/records-v2.js';
import { v3RecordToItem, v3Result } from '../../../../src/http/dialects/rest-proxy/records-v3.js';
import type { ItemOutcome } from '../../../../src/pipeline/types.js';
import { refusal } from '../../../helpers/refusal.js';

const limits = loadConfig({}).limits;

describe('REST Proxy dialects: records and answers', () => {
  it('v2: json keys as JSON text, binary as base64 bytes, text as UTF-8; the schema sees JSON when the bytes are JSON', () => {
    const json = recordToItem({ key: { id: 1 }, value: { a: 1 } }, 't', 'json', limits, 0);
    expect(json.key).to.deep.equal(Buffer.from('{"id":1}'));
    expect(json.value).to.deep.equal(Buffer.from('{"a":1}'));
    const binary = recordToItem({ value: Buffer.from('{"a":2}').toString('base64') }, 't', 'binary', limits, 0);
    expect(binary.message).to.deep.equal({ a: 2 });
    expect(recordToItem({ value: 'plain' }, 't', 'text', limits, 0).message).to.equal(undefined);
  });

  it('v2: refusals name the record and field; schema formats are named', () => {
    expect(refusal(() => recordToItem({ value: null }, 't', 'json', limits, 3))).to.include({ code: 'MISSING_FIELD', field: 'records[3].value' });
    expect(refusal(() => recordToItem({ value: 'a!' }, 't', 'binary', limits, 0))).to.include({ field: 'records[0].value' });
    expect(refusal(() => recordToItem({ value: 1, headers: [{ key: 'kgate-x', value: '' }] }, 't', 'json', limits, 0))).to.include({ code: 'INVALID_HEADERS' });
    expect(refusal(() => recordsOf({ value_schema_id: 1, records: [] }, limits))).to.include({ field: 'value_schema_id' });
    expect(refusal(() => recordsOf({ value_schema_id: 1, records: [{ value: 1 }] }, limits, 'binary')).message).to.contain('schema formats');
    expect(refusal(() => recordsOf({ records: [] }, limits))).to.include({ code: 'EMPTY_BATCH' });
  });

  it('v2 schema formats: value_schema_id pins every record, values stay JSON for the registry format; inline and key schemas refused', () => {
    const list = recordsOf({ value_schema_id: 5, records: [{ key: 'order-1', value: { id: 1 } }] }, limits, 'avro');
    expect(list.valueSchemaId).to.equal(5);
    const item = recordToItem(list.records[0], 't', 'avro', limits, 0, list.valueSchemaId);
    expect(item).to.deep.include({ message: { id: 1 }, declaredFormat: 'avro', schemaId: 5, key: Buffer.from('order-1') });
    expect(item.value).to.equal(undefined);
    expect(recordToItem({ value: { a: 1 } }, 't', 'jsonschema', limits, 0)).to.deep.include({ declaredFormat: 'jsonschema' }).and.not.have.property('schemaId');
    const inline = refusal(() => recordsOf({ value_schema: '{"type":"string"}', records: [{ value: 'x' }] }, limits, 'avro'));
    expect(inline).to.include({ code: 'INVALID_FIELD', field: 'value_schema' });
    expect(inline.message).to.contain('inline schemas are not supported');
    expect(refusal(() => recordsOf({ key_schema_id: 2, records: [{ value: 'x' }] }, limits, 'protobuf')).message).to.contain('schema-typed keys are not supported');
    expect(refusal(() => recordsOf({ value_schema_id: 'one', records: [{ value: 'x' }] }, limits, 'avro'))).to.include({ field: 'value_schema_id' });
    expect(refusal(() => recordToItem({ key: { id: 1 }, value: 1 }, 't', 'avro', limits, 2))).to.include({ code: 'INVALID_KEY', field: 'records[2].key' });
  });

  it('v2 answers: value_schema_id is the schema id the values were encoded with; a request-wide schema refusal fails the request', () => {
    const ok: ItemOutcome = { success: true, topic: 't', partition: 0, offset: 1, timestamp: 'x', schemaId: 21 };
    const bad: ItemOutcome = { success: false, topic: 't', error: new GatewayError('VALUE_DOES_NOT_FIT_SCHEMA', 'no') };
    const answer = offsetsAnswer([bad, ok], 'application/json');
    expect(answer.body).to.deep.include({ key_schema_id: null, value_schema_id: 21 });
    expect((answer.body as any).offsets[0]).to.include({ error_code: 42203, code: 'VALUE_DOES_NOT_FIT_SCHEMA' });
    const mismatch: ItemOutcome = { success: false, topic: 't', error: new GatewayError('VALUE_FORMAT_MISMATCH', 'an avro value cannot be written') };
    const refused = offsetsAnswer([mismatch, mismatch], 'application/json');
    expect(refused.status).to.equal(422);
    expect(refused.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    const unknown: ItemOutcome = { success: false, topic: 't', error: new GatewayError('UNKNOWN_SCHEMA', 'schema_id 99 is not a version') };
    expect(offsetsAnswer([unknown], 'application/json').body).to.include({ error_code: 40403, code: 'UNKNOWN_SCHEMA' });
  });

  it('v2 answers: offsets in order with per-record error codes; a request that wrote nothing for one Kafka reason takes its status', () => {
    const ok: ItemOutcome = { success: true, topic: 't', partition: 1, offset: 5, timestamp: 'x' };
    const bad: ItemOutcome = { success: false, topic: 't', error: new GatewayError('SCHEMA_VALIDATION_FAILED', 'nope') };
    const answer = offsetsAnswer([ok, bad], 'application/vnd.kafka.v2+json');
    expect(answer.status).to.equal(200);
    expect((answer.body as any).offsets).to.deep.equal([
      { partition: 1, offset: 5, error_code: null, error: null },
      { partition: null, offset: null, error_code: 42206, error: 'nope', message: 'nope', code: 'SCHEMA_VALIDATION_FAILED' },
    ]);
    const down: ItemOutcome = { success: false, topic: 't', error: new GatewayError('KAFKA_UNAVAILABLE') };
    const refused = offsetsAnswer([down, down], 'application/json');
    expect(refused.status).to.equal(503);
    expect(refused.headers).to.include({ 'Retry-After': '1' });
    expect(refused.body).to.include({ error_code: 50003 });
    expect(restErrorAnswer(new GatewayError('UNKNOWN_TOPIC'), 'application/json').body).to.include({ error_code: 40401 });
  });

  it('v3: schema-typed values become JSON messages declaring their format, with their pin, subject and strategy', () => {
    const avro = v3RecordToItem({ topic: 't', record: { key: { type: 'STRING', data: 'k' }, value: { type: 'AVRO', data: { id: 1 }, schema_id: 4, subject: 't-value', subject_name_strategy: 'TOPIC_NAME' } } }, limits);
    expect(avro).to.deep.include({ topic: 't', message: { id: 1 }, declaredFormat: 'avro', schemaId: 4, subject: 't-value', subjectStrategy: 'TopicNameStrategy', key: Buffer.from('k') });
    expect(avro.value).to.equal(undefined); // no bytes of its own: the topic's registry format encodes the message
    expect(v3RecordToItem({ topic: 't', record: { value: { type: 'JSONSCHEMA', data: { a: 1 }, schema_version: 2, schema_id: null } } }, limits)).to.deep.include({ declaredFormat: 'jsonschema', schemaVersion: 2 });
    expect(v3RecordToItem({ topic: 't', record: { value: { type: 'PROTOBUF', data: {} } } }, limits).declaredFormat).to.equal('protobuf');
    // A schema named without a type: whatever registry format the topic has.
    expect(v3RecordToItem({ topic: 't', record: { value: { schema_version: 1, data: 'x' } } }, limits).declaredFormat).to.equal('registry');
    // No schema fields and no type: JSON, as before.
    expect(v3RecordToItem({ topic: 't', record: { value: { data: 'x' } } }, limits).declaredFormat).to.equal(undefined);
  });

  it('v3: what a schema-typed record may not say is refused naming the field and why', () => {
    const value = (v: Record<string, unknown>) => refusal(() => v3RecordToItem({ topic: 't', record: { value: v } }, limits));
    const inline = value({ type: 'AVRO', schema: '{"type":"string"}', data: 'x' });
    expect(inline).to.include({ code: 'INVALID_FIELD', field: 'value.schema' });
    expect(inline.message).to.contain('inline schemas are not supported');
    expect(value({ type: 'AVRO', schema_id: 1, schema_version: 1, data: 1 })).to.include({ field: 'value.schema_version' });
    expect(value({ type: 'AVRO', schema_id: 0, data: 1 })).to.include({ field: 'value.schema_id' });
    expect(value({ type: 'AVRO', subject_name_strategy: 'CUSTOM', data: 1 })).to.include({ field: 'value.subject_name_strategy' });
    expect(value({ type: 'JSON', schema_id: 1, data: 1 })).to.include({ field: 'value.schema_id' });
    expect(value({ type: 'AVRO' })).to.include({ code: 'MISSING_FIELD', field: 'value.data' });
    const key = refusal(() => v3RecordToItem({ topic: 't', record: { key: { type: 'AVRO', data: 'k' }, value: { data: 1 } } }, limits));
    expect(key).to.include({ field: 'key.type' });
    expect(key.message).to.contain('schema-typed keys are not supported');
    expect(refusal(() => v3RecordToItem({ topic: 't', record: { key: { schema_id: 3, data: 'k' }, value: { data: 1 } } }, limits))).to.include({ field: 'key.schema_id' });
  });

  it('v3 results: a value encoded with a registry schema names its schema_id', () => {
    const line = { topic: 't', record: { value: { type: 'AVRO', data: { id: 1 } } } };
    const result = v3Result({ success: true, topic: 't', partition: 0, offset: 1, timestamp: 'x', schemaId: 12 }, 'cid', line);
    expect(result['value']).to.deep.equal({ type: 'AVRO', size: 8, schema_id: 12 });
    expect(v3Result({ success: true, topic: 't', partition: 0, offset: 1, timestamp: 'x', schemaId: 12 }, 'cid', { topic: 't', record: { value: { schema_id: 12, data: 1 } } })['value']).to.deep.equal({ type: null, size: 1, schema_id: 12 });
  });

  it('v3: typed data, an unknown type refused naming the field, results with type and size', () => {
    const line = { topic: 't', record: { key: { type: 'BINARY', data: 'AAE=' }, value: { data: { a: 1 } }, timestamp: '2026-01-02T03:04:05Z' } };
    const item = v3RecordToItem(line, limits);
    expect(item.key).to.deep.equal(Buffer.from([0, 1]));
    expect(item.message).to.deep.equal({ a: 1 });
    expect(item.timestampMs).to.equal(Date.parse('2026-01-02T03:04:05Z'));
    expect(refusal(() => v3RecordToItem({ topic: 't', record: { value: { type: 'XML', data: 1 } } }, limits))).to.include({ field: 'value.type' });
    const result = v3Result({ success: true, topic: 't', partition: 0, offset: 9, timestamp: 'x' }, 'cid', line);
    expect(result).to.deep.include({ error_code: 200, cluster_id: 'cid', offset: 9, key: { type: 'BINARY', size: 2 }, value: { type: 'JSON', size: 7 }, timestamp: '2026-01-02T03:04:05.000Z' });
  });
});

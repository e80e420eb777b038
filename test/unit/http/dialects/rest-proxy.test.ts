import { expect } from 'chai';
import { loadConfig } from '../../../../src/config/config.js';
import { GatewayError } from '../../../../src/errors/gateway-error.js';
import { offsetsAnswer, restErrorAnswer } from '../../../../src/http/dialects/rest-proxy/answers-v2.js';
import { recordsOf, recordToItem } from '../../../../src/http/dialects/rest-proxy/records-v2.js';
import { v3RecordToItem, v3Result } from '../../../../src/http/dialects/rest-proxy/records-v3.js';
import type { ItemOutcome } from '../../../../src/pipeline/types.js';

const limits = loadConfig({}).limits;
const refusal = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

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
    expect(refusal(() => recordsOf({ records: [] }, limits))).to.include({ code: 'EMPTY_BATCH' });
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

  it('v3: typed data, schema-typed records refused naming the type or field, results with type and size', () => {
    const line = { topic: 't', record: { key: { type: 'BINARY', data: 'AAE=' }, value: { data: { a: 1 } }, timestamp: '2026-01-02T03:04:05Z' } };
    const item = v3RecordToItem(line, limits);
    expect(item.key).to.deep.equal(Buffer.from([0, 1]));
    expect(item.message).to.deep.equal({ a: 1 });
    expect(item.timestampMs).to.equal(Date.parse('2026-01-02T03:04:05Z'));
    expect(refusal(() => v3RecordToItem({ topic: 't', record: { value: { type: 'AVRO', data: 1 } } }, limits))).to.include({ field: 'value.type' });
    expect(refusal(() => v3RecordToItem({ topic: 't', record: { value: { subject: 's', data: 1 } } }, limits))).to.include({ field: 'value.subject' });
    const result = v3Result({ success: true, topic: 't', partition: 0, offset: 9, timestamp: 'x' }, 'cid', line);
    expect(result).to.deep.include({ error_code: 200, cluster_id: 'cid', offset: 9, key: { type: 'BINARY', size: 2 }, value: { type: 'JSON', size: 7 }, timestamp: '2026-01-02T03:04:05.000Z' });
  });
});

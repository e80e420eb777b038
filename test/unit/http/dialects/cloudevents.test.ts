import { expect } from 'chai';
import { loadConfig } from '../../../../src/config/config.js';
import { fromBinary, fromStructured } from '../../../../src/http/dialects/cloudevents/event.js';
import { runEventsOnce } from '../../../../src/http/dialects/cloudevents/event-once.js';
import { toProduceItem } from '../../../../src/http/dialects/cloudevents/kafka-binding.js';
import { IdempotencyStore } from '../../../../src/idempotency/store.js';
import type { ItemOutcome } from '../../../../src/pipeline/types.js';
import { refusal } from '../../../helpers/refusal.js';

const limits = loadConfig({}).limits;
const base = { specversion: '1.0', id: 'e1', source: '/s', type: 't' };

describe('CloudEvents dialect: event parsing and the Kafka binding', () => {
  it('names the missing or wrong attribute', () => {
    for (const name of ['id', 'source', 'type', 'specversion']) {
      const { [name]: _dropped, ...rest } = base as Record<string, string>;
      expect(refusal(() => fromStructured(rest, limits))).to.include({ code: 'MISSING_FIELD', field: name });
    }
    expect(refusal(() => fromStructured({ ...base, specversion: '0.3' }, limits))).to.include({ code: 'INVALID_FIELD', field: 'specversion' });
    expect(refusal(() => fromStructured({ ...base, time: 'yesterday' }, limits))).to.include({ field: 'time' });
    expect(refusal(() => fromStructured({ ...base, dataschema: 'not a uri' }, limits))).to.include({ field: 'dataschema' });
    expect(refusal(() => fromStructured({ ...base, BadName: 'x' }, limits))).to.include({ field: 'BadName' });
    expect(refusal(() => fromStructured({ ...base, ext: { nested: 1 } }, limits))).to.include({ field: 'ext' });
    expect(refusal(() => fromStructured({ ...base, data: 1, data_base64: 'AA==' }, limits))).to.include({ field: 'data_base64' });
  });

  it('binary mode: percent-decoded ce- headers, Content-Type as datacontenttype, JSON bodies parsed, others kept as bytes', () => {
    const headers = { 'ce-specversion': '1.0', 'ce-id': 'e1', 'ce-source': '/s', 'ce-type': 't', 'ce-subject': 'caf%C3%A9', 'content-type': 'application/json' };
    const event = fromBinary(headers, Buffer.from('{"a":1}'), limits);
    expect(event.attributes).to.include({ subject: 'café', datacontenttype: 'application/json' });
    expect(event.data).to.deep.equal({ json: { a: 1 } });
    const bytes = fromBinary({ ...headers, 'content-type': 'application/octet-stream' }, Buffer.from([0xff, 0x00]), limits);
    expect(bytes.data?.bytes).to.deep.equal(Buffer.from([0xff, 0x00]));
    expect(refusal(() => fromBinary({ ...headers, 'ce-specversion': undefined }, Buffer.alloc(0), limits))).to.include({ field: 'specversion' });
    expect(refusal(() => fromBinary(headers, Buffer.from('{nope'), limits))).to.include({ code: 'INVALID_JSON' });
  });

  it('binary Kafka mode: ce_ headers, content-type, the data as the value, partitionkey as the key, no metadata fields', () => {
    const item = toProduceItem(fromStructured({ ...base, partitionkey: 'k', datacontenttype: 'application/json', data: { a: 1 } }, limits), 'orders', false);
    expect(item.headers).to.deep.include({ ce_id: 'e1', ce_specversion: '1.0', ce_partitionkey: 'k', 'content-type': 'application/json' });
    expect(item.value?.toString()).to.equal('{"a":1}');
    expect(item.message).to.deep.equal({ a: 1 });
    expect(item.key).to.equal('k');
  });

  it('structured Kafka mode: the event as JSON, text data as a string, other bytes as data_base64', () => {
    const text = toProduceItem(fromBinary({ 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't', 'content-type': 'text/plain' }, Buffer.from('hi'), limits), 'x', true);
    expect(JSON.parse(text.value!.toString())).to.include({ data: 'hi', datacontenttype: 'text/plain' });
    expect(text.message).to.equal(undefined); // not JSON: refused on a topic with a schema
    const latin1 = toProduceItem(fromBinary({ 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't', 'content-type': 'text/plain' }, Buffer.from([0x63, 0x61, 0x66, 0xe9]), limits), 'x', true);
    expect(JSON.parse(latin1.value!.toString())).to.include({ data_base64: Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('base64') });
    const bin = toProduceItem(fromStructured({ ...base, datacontenttype: 'application/octet-stream', data_base64: 'AAE=' }, limits), 'x', true);
    expect(JSON.parse(bin.value!.toString())).to.include({ data_base64: 'AAE=' });
    expect(bin.headers['content-type']).to.match(/^application\/cloudevents\+json/);
  });

  it('source + id: each event of a batch at most once; a repeat in the batch and a later retry are replays; a key held elsewhere is waited for, not deadlocked', async () => {
    const store = new IdempotencyStore({ windowMs: 60_000, maxEntries: 100, maxBytes: 1 << 20 });
    let written = 0;
    const run = async (indices: number[]): Promise<ItemOutcome[]> =>
      indices.map(() => ({ success: true, topic: 't', partition: 0, offset: written++, timestamp: 'now' }) as ItemOutcome);
    const first = await runEventsOnce(store, [{ key: 'a', topic: 't' }, { key: 'b', topic: 't' }, { key: 'a', topic: 't' }, { key: undefined, topic: 't' }], 'r1', run);
    expect(written).to.equal(3);
    expect([...first.replayed]).to.deep.equal([2]);
    const again = await runEventsOnce(store, [{ key: 'b', topic: 't' }, { key: 'c', topic: 't' }], 'r2', run);
    expect([...again.replayed]).to.deep.equal([0]);
    expect(again.outcomes[0]).to.include({ success: true, offset: 1 });
    expect(written).to.equal(4);
    // Two batches holding each other's keys at once: both finish.
    const slow = async (indices: number[]) => {
      await new Promise((r) => setTimeout(r, 20));
      return run(indices);
    };
    const [x, y] = await Promise.all([
      runEventsOnce(store, [{ key: 'p', topic: 't' }, { key: 'q', topic: 't' }], 'r3', slow),
      runEventsOnce(store, [{ key: 'q', topic: 't' }, { key: 'p', topic: 't' }], 'r4', slow),
    ]);
    expect(x.outcomes.every((o) => o.success) && y.outcomes.every((o) => o.success)).to.equal(true);
    expect(written).to.equal(6);
  });
});

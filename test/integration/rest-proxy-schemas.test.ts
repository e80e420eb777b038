import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { getJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { decodeWithConfluent, TestSchemaRegistry } from '../helpers/schema-registry.js';
import { matchesSchemaOf } from '../helpers/openapi-fixture.js';

// Schema-typed REST Proxy records (v3 AVRO / JSONSCHEMA, v2 avro / jsonschema content types) against a
// real registry (Apicurio Registry 3.0.9, Confluent API) and a real broker: what kgate wrote is decoded by
// Confluent's own Python deserializers, and the v3 answers are checked against Confluent's v3 document.

const matchesConfluent = matchesSchemaOf('confluent-kafka-rest-v3.json');

const order = {
  type: 'record',
  name: 'Order',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'amount', type: 'double' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};
const user = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 } },
  required: ['name'],
  additionalProperties: false,
};
const anOrder = (id: number) => ({ id, amount: id + 0.25, note: `order ${id}` });

async function post(url: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/vnd.kafka.v2+json, application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('REST Proxy schema-typed records through the registry (Apicurio 3.0.9, decoded by Confluent\'s Python deserializers)', function () {
  this.timeout(180_000);
  const registry = new TestSchemaRegistry();
  const prefix = uniqueTopic('rps');
  const avroTopic = `${prefix}.avro.orders`;
  const avroV2Topic = `${prefix}.avro.v2`;
  const avroListTopic = `${prefix}.avro.list`;
  const avroStreamTopic = `${prefix}.avro.stream`;
  const avroBatchTopic = `${prefix}.avro.batch`;
  const usersTopic = `${prefix}.js.users`;
  const plainTopic = `${prefix}.plain`;
  const ids: Record<string, number> = {};
  let gw: RunningGateway;
  let v3: (topic: string) => string;

  before(async () => {
    await registry.start();
    for (const t of [avroTopic, avroV2Topic, avroListTopic, avroStreamTopic, avroBatchTopic]) ids[t] = await registry.register(`${t}-value`, order);
    ids[usersTopic] = await registry.register(`${usersTopic}-value`, user, 'JSON');
    gw = await startTestGateway({ SCHEMA_REGISTRY_URL: registry.url, TOPIC_VALUE_FORMATS: `${prefix}.avro.*=avro,${prefix}.js.*=jsonschema`, SCHEMA_REGISTRY_TIMEOUT_MS: '2000', BATCH_MAX_ITEMS: '100' });
    const clusterId = (await getJson(`${gw.url}/v3/clusters`)).body.data[0].cluster_id as string;
    v3 = (topic) => `${gw.url}/v3/clusters/${clusterId}/topics/${topic}/records`;
  });
  after(async () => {
    await gw?.shutdown();
    await registry.remove();
  });

  it('v3 AVRO and v2 avro: encoded under the registry\'s schema id, read back equal by Confluent\'s AvroDeserializer', async () => {
    const one = await post(v3(avroTopic), { partition_id: 0, key: { type: 'STRING', data: 'o1' }, value: { type: 'AVRO', data: anOrder(1) } });
    expect(one.status, JSON.stringify(one.body)).to.equal(200);
    matchesConfluent('ProduceResponse', one.body);
    expect(one.body.value).to.deep.include({ type: 'AVRO', schema_id: ids[avroTopic] });
    // Pinned by id, naming kgate's own subject and strategy: accepted.
    const pinned = await post(v3(avroTopic), { partition_id: 0, value: { type: 'AVRO', schema_id: ids[avroTopic], subject: `${avroTopic}-value`, subject_name_strategy: 'TOPIC_NAME', data: anOrder(2) } });
    expect(pinned.status, JSON.stringify(pinned.body)).to.equal(200);
    const decoded = await decodeWithConfluent(avroTopic, registry.url, 'avro');
    expect(decoded.map((d) => d.value)).to.deep.equal([anOrder(1), anOrder(2)]);
    expect(decoded.map((d) => d.schema_id)).to.deep.equal([ids[avroTopic], ids[avroTopic]]);
    expect((await readTopic(avroTopic))[0]!.key).to.equal('o1');

    const v2 = await post(`${gw.url}/topics/${avroV2Topic}`, { value_schema_id: ids[avroV2Topic], records: [{ key: 'o3', value: anOrder(3), partition: 0 }, { value: anOrder(4), partition: 0 }] }, 'application/vnd.kafka.avro.v2+json');
    expect(v2.status, JSON.stringify(v2.body)).to.equal(200);
    expect(v2.body).to.include({ key_schema_id: null, value_schema_id: ids[avroV2Topic] });
    expect(v2.body.offsets.map((o: { error_code: unknown }) => o.error_code)).to.deep.equal([null, null]);
    // Without value_schema_id: the subject's latest version, whose id the answer reports.
    const latest = await post(`${gw.url}/topics/${avroV2Topic}`, { records: [{ value: anOrder(5), partition: 0 }] }, 'application/vnd.kafka.avro.v2+json');
    expect(latest.body).to.include({ value_schema_id: ids[avroV2Topic] });
    const v2Decoded = await decodeWithConfluent(avroV2Topic, registry.url, 'avro');
    expect(v2Decoded.map((d) => d.value)).to.deep.equal([anOrder(3), anOrder(4), anOrder(5)]);
    expect(new Set(v2Decoded.map((d) => d.schema_id))).to.deep.equal(new Set([ids[avroV2Topic]]));
  });

  it('v3 JSONSCHEMA and v2 jsonschema: magic byte + id + the JSON, read back by Confluent\'s JSONDeserializer', async () => {
    const one = await post(v3(usersTopic), { partition_id: 0, value: { type: 'JSONSCHEMA', data: { name: 'Ada', age: 36 } } });
    expect(one.status, JSON.stringify(one.body)).to.equal(200);
    matchesConfluent('ProduceResponse', one.body);
    const v2 = await post(`${gw.url}/topics/${usersTopic}`, { records: [{ value: { name: 'Grace' }, partition: 0 }] }, 'application/vnd.kafka.jsonschema.v2+json');
    expect(v2.status, JSON.stringify(v2.body)).to.equal(200);
    expect(v2.body.value_schema_id).to.equal(ids[usersTopic]);
    const decoded = await decodeWithConfluent(usersTopic, registry.url, 'jsonschema');
    expect(decoded.map((d) => d.value)).to.deep.equal([{ name: 'Ada', age: 36 }, { name: 'Grace' }]);
    expect(new Set(decoded.map((d) => d.schema_id))).to.deep.equal(new Set([ids[usersTopic]]));
  });

  it('a type that is not the topic\'s format, or a topic without one: 422 VALUE_FORMAT_MISMATCH in each dialect\'s shape; nothing written', async () => {
    const mismatch = await post(v3(avroTopic), { value: { type: 'JSONSCHEMA', data: { name: 'x' } } });
    expect(mismatch.status).to.equal(422);
    matchesConfluent('ProduceResponse', mismatch.body);
    expect(mismatch.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    expect(mismatch.body.message).to.contain('jsonschema value').and.contain('is avro');
    const plain = await post(v3(plainTopic), { value: { type: 'AVRO', data: anOrder(1) } });
    expect(plain.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    expect(plain.body.message).to.contain('no registry value format');
    const v2 = await post(`${gw.url}/topics/${usersTopic}`, { records: [{ value: anOrder(1) }, { value: anOrder(2) }] }, 'application/vnd.kafka.avro.v2+json');
    expect(v2.status).to.equal(422);
    expect(v2.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    expect(v2.body.message).to.contain('is jsonschema');
    // An inline schema and a schema-typed key: refused naming the field and why.
    const inline = await post(v3(avroTopic), { value: { type: 'AVRO', schema: JSON.stringify(order), data: anOrder(1) } });
    expect(inline.body).to.include({ error_code: 400, code: 'INVALID_FIELD' });
    expect(inline.body.message).to.contain('inline schemas are not supported');
    const inlineV2 = await post(`${gw.url}/topics/${avroV2Topic}`, { value_schema: JSON.stringify(order), records: [{ value: anOrder(1) }] }, 'application/vnd.kafka.avro.v2+json');
    expect(inlineV2.status).to.equal(422);
    expect(inlineV2.body).to.include({ error_code: 42206, code: 'INVALID_FIELD' });
    const key = await post(v3(avroTopic), { key: { type: 'AVRO', data: 'k' }, value: { type: 'AVRO', data: anOrder(1) } });
    expect(key.body.message).to.contain('schema-typed keys are not supported');
  });

  it('an unknown schema_id or one of another subject: 422 UNKNOWN_SCHEMA (v3), 40403 (v2)', async () => {
    const unknown = await post(v3(avroTopic), { value: { type: 'AVRO', schema_id: 999_999, data: anOrder(1) } });
    expect(unknown.status).to.equal(422);
    matchesConfluent('ProduceResponse', unknown.body);
    expect(unknown.body).to.include({ error_code: 422, code: 'UNKNOWN_SCHEMA' });
    const foreign = await post(v3(avroTopic), { value: { type: 'AVRO', schema_id: ids[usersTopic], data: anOrder(1) } });
    expect(foreign.body).to.include({ code: 'UNKNOWN_SCHEMA' });
    const v2 = await post(`${gw.url}/topics/${avroV2Topic}`, { value_schema_id: 999_999, records: [{ value: anOrder(1) }] }, 'application/vnd.kafka.avro.v2+json');
    expect(v2.status).to.equal(422);
    expect(v2.body).to.include({ error_code: 40403, code: 'UNKNOWN_SCHEMA' });
  });

  it('a record its schema refuses fails alone: in a v2 list (42203) and in a v3 stream; the others are read back', async () => {
    const list = await post(`${gw.url}/topics/${avroListTopic}`, { records: [{ value: anOrder(1), partition: 0 }, { value: { ...anOrder(2), amount: 'lots' }, partition: 0 }, { value: anOrder(3), partition: 0 }] }, 'application/vnd.kafka.avro.v2+json');
    expect(list.status, JSON.stringify(list.body)).to.equal(200);
    expect(list.body.value_schema_id).to.equal(ids[avroListTopic]);
    expect(list.body.offsets[1]).to.include({ partition: null, offset: null, error_code: 42203, code: 'VALUE_DOES_NOT_FIT_SCHEMA' });
    expect(list.body.offsets[1].error).to.contain('$.amount');
    expect((await decodeWithConfluent(avroListTopic, registry.url, 'avro')).map((d) => d.value)).to.deep.equal([anOrder(1), anOrder(3)]);

    const lines = [anOrder(10), { ...anOrder(11), colour: 'red' }, anOrder(12)].map((data) => JSON.stringify({ partition_id: 0, value: { type: 'AVRO', data } }) + '\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const line of lines) controller.enqueue(new TextEncoder().encode(line));
        controller.close();
      },
    });
    const res = await fetch(v3(avroStreamTopic), { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).to.equal(200);
    const results = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    for (const r of results) matchesConfluent('ProduceResponse', r);
    expect(results.map((r) => r['error_code']).sort()).to.deep.equal([200, 200, 422]);
    expect(results.find((r) => r['error_code'] === 422)).to.include({ code: 'VALUE_DOES_NOT_FIT_SCHEMA' });
    expect((await decodeWithConfluent(avroStreamTopic, registry.url, 'avro')).map((d) => d.value)).to.deep.equal([anOrder(10), anOrder(12)]);
  });

  it('records:batch: 207 with each entry by id, a bad entry failing alone, as Confluent\'s document describes; bounded', async () => {
    const url = `${v3(avroBatchTopic)}:batch`;
    const res = await post(url, {
      entries: [
        { id: 'a', partition_id: 0, value: { type: 'AVRO', data: anOrder(1) } },
        { id: 'b', value: { type: 'AVRO', data: { id: 2 } } },
        { id: 'c', partition_id: 0, key: { type: 'BINARY', data: 'not base64!' }, value: { type: 'AVRO', data: anOrder(3) } },
        { id: 'd', partition_id: 0, value: { type: 'AVRO', data: anOrder(4) } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(207);
    matchesConfluent('ProduceBatchResponse', res.body);
    expect(res.body.successes.map((s: { id: string }) => s.id)).to.deep.equal(['a', 'd']);
    expect(res.body.successes[0]).to.deep.include({ topic_name: avroBatchTopic, partition_id: 0, value: { type: 'AVRO', size: JSON.stringify(anOrder(1)).length, schema_id: ids[avroBatchTopic] } });
    expect(res.body.failures).to.have.length(2);
    expect(res.body.failures[0]).to.include({ id: 'b', error_code: 422, code: 'VALUE_DOES_NOT_FIT_SCHEMA' });
    expect(res.body.failures[1]).to.include({ id: 'c', error_code: 400, code: 'INVALID_FIELD' });
    expect((await decodeWithConfluent(avroBatchTopic, registry.url, 'avro')).map((d) => d.value)).to.deep.equal([anOrder(1), anOrder(4)]);

    // Plain JSON entries work as on .../records; ids must be unique; the list is bounded by BATCH_MAX_ITEMS.
    const plain = await post(`${v3(plainTopic)}:batch`, { entries: [{ id: '1', value: { type: 'JSON', data: { n: 1 } } }] });
    expect(plain.status).to.equal(207);
    matchesConfluent('ProduceBatchResponse', plain.body);
    // The only record of the plain topic: the AVRO value refused on it earlier wrote nothing.
    expect((await readTopic(plainTopic)).map((r) => JSON.parse(r.payload))).to.deep.equal([{ n: 1 }]);
    const duplicate = await post(url, { entries: [{ id: 'x', value: { data: 1 } }, { id: 'x', value: { data: 2 } }] });
    expect(duplicate.status).to.equal(400);
    matchesConfluent('Error', duplicate.body);
    expect(duplicate.body).to.include({ code: 'INVALID_FIELD' });
    const tooMany = await post(url, { entries: Array.from({ length: 101 }, (_, i) => ({ id: String(i), value: { data: i } })) });
    expect(tooMany.status).to.equal(413);
    expect(tooMany.body).to.include({ code: 'BATCH_TOO_LARGE' });
  });
});

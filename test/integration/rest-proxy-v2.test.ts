import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { objectSchema, schemaDir } from '../helpers/schema-dir.js';
import { matchesSchemaOf } from '../helpers/openapi-fixture.js';

// Strimzi Kafka Bridge's public OpenAPI document (test/fixtures/openapi/README.md): kgate's answers
// must match its response schemas for the send operation, as a Bridge or REST Proxy client expects.
const matchesBridge = matchesSchemaOf('strimzi-kafka-bridge.json');

const JSON_V2 = 'application/vnd.kafka.json.v2+json';
const BINARY_V2 = 'application/vnd.kafka.binary.v2+json';

async function send(url: string, body: unknown, contentType: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; type: string | null }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, accept: 'application/vnd.kafka.v2+json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json(), type: res.headers.get('content-type') };
}

describe('POST /topics/{topic} (Confluent REST Proxy v2 / Strimzi Bridge)', function () {
  this.timeout(60_000);
  let gw: RunningGateway;
  const schemaTopic = uniqueTopic('rp-schema');
  before(async () => {
    const dir = schemaDir({ [`${schemaTopic}/1.0.0.json`]: objectSchema('orders/1.0.0', { n: { type: 'integer' } }, ['n']) });
    gw = await startTestGateway({ SCHEMA_DIR: dir });
  });
  after(() => gw.shutdown());

  it('json.v2: JSON key and value written as JSON text, headers from the Bridge shape; offsets in record order, as the Bridge document says', async () => {
    const topic = uniqueTopic('rp-json');
    const res = await send(`${gw.url}/topics/${topic}`, {
      records: [
        { key: 'k1', value: { a: 1 }, partition: 0, headers: [{ key: 'trace', value: Buffer.from('abc').toString('base64') }] },
        { value: [1, 2, 3], partition: 0 },
      ],
    }, JSON_V2);
    expect(res.status).to.equal(200);
    expect(res.type).to.match(/^application\/vnd\.kafka\.v2\+json/);
    expect(res.body).to.deep.equal({
      key_schema_id: null,
      value_schema_id: null,
      offsets: [
        { partition: 0, offset: 0, error_code: null, error: null },
        { partition: 0, offset: 1, error_code: null, error: null },
      ],
    });
    matchesBridge('OffsetRecordSentList', res.body);
    const records = await readTopic(topic);
    expect(records.map((r) => r.payload)).to.deep.equal(['{"a":1}', '[1,2,3]']); // the value as sent: no metadata fields
    expect(records[0]!.key).to.equal('"k1"');
    expect(records[0]!.headers).to.include({ trace: 'abc' });
    expect(records[0]!.headers['kgate-request-id']).to.be.a('string');
  });

  it('binary.v2: base64 key and value written as their bytes', async () => {
    const topic = uniqueTopic('rp-binary');
    const res = await send(`${gw.url}/topics/${topic}`, { records: [{ key: Buffer.from('key-1').toString('base64'), value: Buffer.from('raw bytes').toString('base64') }] }, BINARY_V2);
    expect(res.status).to.equal(200);
    matchesBridge('OffsetRecordSentList', res.body);
    const [record] = await readTopic(topic);
    expect(record!.key).to.equal('key-1');
    expect(record!.payload).to.equal('raw bytes');
  });

  it('a record the topic schema refuses fails alone, with its error_code; the others are written', async () => {
    const res = await send(`${gw.url}/topics/${schemaTopic}`, { records: [{ value: { n: 1 } }, { value: { n: 'x' } }, { value: { n: 3 } }] }, JSON_V2);
    expect(res.status).to.equal(200);
    matchesBridge('OffsetRecordSentList', res.body);
    expect(res.body.offsets[0].error_code).to.equal(null);
    expect(res.body.offsets[1]).to.include({ partition: null, offset: null, error_code: 42206, code: 'SCHEMA_VALIDATION_FAILED' });
    expect(res.body.offsets[1].error).to.contain('does not match schema');
    expect(res.body.offsets[2].error_code).to.equal(null);
    expect((await readTopic(schemaTopic)).map((r) => JSON.parse(r.payload).n)).to.have.members([1, 3]);
  });

  it('errors in the REST Proxy shape: invalid record list 422, wrong format 415, not JSON 400, Accept honoured (406, application/json)', async () => {
    const url = `${gw.url}/topics/${uniqueTopic('rp-errors')}`;
    const invalid = await send(url, { records: [{ value: 1 }, { key: 'no value' }] }, JSON_V2);
    expect(invalid.status).to.equal(422);
    expect(invalid.body).to.include({ error_code: 42206, code: 'MISSING_FIELD' });
    matchesBridge('Error', invalid.body);
    // The schema formats on a topic without a registry value format (docs/dialects.md): refused whole, nothing written.
    const avro = await send(url, { records: [{ value: 1 }] }, 'application/vnd.kafka.avro.v2+json');
    expect(avro.status).to.equal(422);
    expect(avro.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    expect(avro.body.message).to.contain('no registry value format');
    matchesBridge('Error', avro.body);
    // On a topic with a local schema (schemas/) too: the format is refused, the value is not checked by schemas/.
    const onLocal = await send(`${gw.url}/topics/${schemaTopic}`, { records: [{ value: { not: 'n' } }] }, 'application/vnd.kafka.avro.v2+json');
    expect(onLocal.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    const unknownFormat = await send(url, { records: [{ value: 1 }] }, 'application/vnd.kafka.xml.v2+json');
    expect(unknownFormat.status).to.equal(415);
    matchesBridge('Error', unknownFormat.body);
    const notJson = await send(url, '{"records": [', JSON_V2);
    expect(notJson.status).to.equal(400);
    expect(notJson.body).to.include({ error_code: 400, code: 'INVALID_JSON' });
    const badBase64 = await send(url, { records: [{ value: 'not base64!' }] }, BINARY_V2);
    expect(badBase64.status).to.equal(422);
    expect(badBase64.body.message).to.contain('base64');
    const huge = await send(url, { records: [{ value: 'x'.repeat(1_100_000) }] }, JSON_V2);
    expect(huge.status).to.equal(413);
    expect(huge.body).to.include({ error_code: 413, code: 'BODY_TOO_LARGE' });
    const html = await send(url, { records: [{ value: 1 }] }, JSON_V2, { accept: 'text/html' });
    expect(html.status).to.equal(406);
    expect(html.body).to.include({ error_code: 406 });
    const plain = await send(url, { records: [{ value: 1 }] }, JSON_V2, { accept: 'application/json' });
    expect(plain.status).to.equal(200);
    expect(plain.type).to.match(/^application\/json/);
  });

  it('counts the messages under dialect="rest_v2"', async () => {
    const topic = uniqueTopic('rp-metrics');
    await send(`${gw.url}/topics/${topic}`, { records: [{ value: 1 }, { value: 2 }] }, JSON_V2);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).to.match(new RegExp(`kgate_messages_produced_total\\{topic="${topic}",dialect="rest_v2"\\} 2`));
  });
});

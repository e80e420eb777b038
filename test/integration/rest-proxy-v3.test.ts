import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { ROOT, uniqueTopic } from '../helpers/env.js';
import { getJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { matchesSchemaOf } from '../helpers/openapi-fixture.js';

// Confluent REST Proxy v3's public OpenAPI document (test/fixtures/openapi/README.md): kgate's answers
// must match its response schemas (ClusterDataList, ClusterData, ProduceResponse, Error).
const matchesConfluent = matchesSchemaOf('confluent-kafka-rest-v3.json');

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('REST Proxy v3: /v3/clusters and POST .../records (single and streaming)', function () {
  this.timeout(120_000);
  let gw: RunningGateway;
  let clusterId: string;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.shutdown());

  it('GET /v3/clusters lists the connected cluster with its own id (read from the broker), as the document says', async () => {
    const list = await getJson(`${gw.url}/v3/clusters`);
    expect(list.status).to.equal(200);
    matchesConfluent('ClusterDataList', list.body);
    expect(list.body.data).to.have.length(1);
    clusterId = list.body.data[0].cluster_id;
    // The broker's own id: what kafka-storage wrote into meta.properties of the test broker.
    const meta = readFileSync(path.join(ROOT, '.kafka/test-shared/data/meta.properties'), 'utf8');
    expect(clusterId).to.equal(/cluster\.id=(.+)/.exec(meta)![1]!.trim());
    const one = await getJson(`${gw.url}/v3/clusters/${clusterId}`);
    expect(one.status).to.equal(200);
    matchesConfluent('ClusterData', one.body);
    const other = await getJson(`${gw.url}/v3/clusters/not-this-one`);
    expect(other.status).to.equal(404);
    matchesConfluent('Error', other.body);
  });

  it('one record: JSON, BINARY and STRING data; the result as ProduceResponse; the bytes in Kafka', async () => {
    const topic = uniqueTopic('v3-single');
    const url = `${gw.url}/v3/clusters/${clusterId}/topics/${topic}/records`;
    const json = await post(url, { partition_id: 0, key: { type: 'STRING', data: 'k1' }, value: { type: 'JSON', data: { a: 1 } }, headers: [{ name: 'trace', value: Buffer.from('t1').toString('base64') }] });
    expect(json.status).to.equal(200);
    matchesConfluent('ProduceResponse', json.body);
    expect(json.body).to.include({ error_code: 200, cluster_id: clusterId, topic_name: topic, partition_id: 0, offset: 0 });
    expect(json.body.key).to.deep.equal({ type: 'STRING', size: 2 });
    expect(json.body.value).to.deep.equal({ type: 'JSON', size: 7 });
    const binary = await post(url, { partition_id: 0, value: { type: 'BINARY', data: Buffer.from('raw').toString('base64') } });
    expect(binary.body).to.include({ error_code: 200, offset: 1 });
    expect(binary.body.key).to.equal(null);
    const records = await readTopic(topic);
    expect(records.map((r) => r.payload)).to.deep.equal(['{"a":1}', 'raw']);
    expect(records[0]!.key).to.equal('k1');
    expect(records[0]!.headers).to.include({ trace: 't1' });
  });

  it('schema-typed records on a topic without a registry value format, and bad input: a clear 4xx naming why, in the v3 error shape', async () => {
    const url = `${gw.url}/v3/clusters/${clusterId}/topics/${uniqueTopic('v3-bad')}/records`;
    const avro = await post(url, { value: { type: 'AVRO', data: { a: 1 } } });
    expect(avro.status).to.equal(422);
    matchesConfluent('ProduceResponse', avro.body);
    expect(avro.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    expect(avro.body.message).to.contain('no registry value format (TOPIC_VALUE_FORMATS)');
    const schemaId = await post(url, { value: { schema_id: 3, data: { a: 1 } } });
    expect(schemaId.body).to.include({ error_code: 422, code: 'VALUE_FORMAT_MISMATCH' });
    const unknownType = await post(url, { value: { type: 'XML', data: '<a/>' } });
    expect(unknownType.body).to.include({ error_code: 400, code: 'INVALID_FIELD' });
    const noValue = await post(url, { key: { type: 'STRING', data: 'k' } });
    expect(noValue.body).to.include({ error_code: 400, code: 'MISSING_FIELD' });
    const unknownCluster = await post(`${gw.url}/v3/clusters/nope/topics/t/records`, { value: { data: 1 } });
    expect(unknownCluster.status).to.equal(404);
    matchesConfluent('Error', unknownCluster.body);
  });

  it('streaming: 1 000 records in one chunked body, one result per record, every one written in order', async () => {
    const topic = uniqueTopic('v3-stream');
    const count = 1000;
    const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ partition_id: 0, value: { type: 'JSON', data: { i } } }) + '\n');
    lines.splice(500, 0, '{"value": {"type": "PROTOBUF", "data": 1}}\n'); // fails alone
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Several chunks, so the body really is streamed (Transfer-Encoding: chunked).
        for (let i = 0; i < lines.length; i += 100) controller.enqueue(new TextEncoder().encode(lines.slice(i, i + 100).join('')));
        controller.close();
      },
    });
    const res = await fetch(`${gw.url}/v3/clusters/${clusterId}/topics/${topic}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(res.status).to.equal(200);
    const results = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(results).to.have.length(count + 1);
    const ok = results.filter((r) => r['error_code'] === 200);
    expect(ok).to.have.length(count);
    for (const r of results) matchesConfluent('ProduceResponse', r);
    expect(results.filter((r) => r['error_code'] === 422)[0]!['message']).to.contain('protobuf value');
    expect(ok.map((r) => r['offset']).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: count }, (_, i) => i));
    const records = await readTopic(topic);
    expect(records.map((r) => JSON.parse(r.payload).i)).to.deep.equal(Array.from({ length: count }, (_, i) => i));
  });
});

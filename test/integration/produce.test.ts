import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';

describe('POST /produce against the real broker', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway({ SOURCE_NAME: 'test-source' });
  });
  after(() => gw.shutdown());

  it('answers with the partition and offset the broker acknowledged, and the record holds key, value and metadata', async () => {
    const topic = uniqueTopic('produce');
    const res = await postJson(`${gw.url}/produce`, {
      topic,
      key: 'user-123',
      message: { user_id: 123, action: 'login' },
      headers: { trace: 'abc' },
    });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ success: true, topic, message: 'Message sent successfully' });
    expect(res.body.partition).to.be.a('number');
    expect(res.body.offset).to.equal(0);
    expect(Date.parse(res.body.timestamp)).to.be.closeTo(Date.now(), 10_000);

    const records = await readTopic(topic);
    expect(records).to.have.length(1);
    const [record] = records;
    expect(record!.partition).to.equal(res.body.partition);
    expect(record!.offset).to.equal(res.body.offset);
    expect(record!.key).to.equal('user-123');
    const value = JSON.parse(record!.payload);
    expect(value).to.include({ user_id: 123, action: 'login', source: 'test-source', request_id: res.body.request_id });
    expect(value.timestamp).to.equal(res.body.timestamp);
    expect(value.server_time).to.be.closeTo(Date.parse(res.body.timestamp) / 1000, 0.001);
    expect(record!.headers).to.include({
      trace: 'abc',
      'kgate-request-id': res.body.request_id,
      'kgate-source': 'test-source',
      'kgate-timestamp': res.body.timestamp,
    });
  });

  it('never overwrites a field the producer sent; the gateway value is in the headers', async () => {
    const topic = uniqueTopic('no-overwrite');
    const res = await postJson(`${gw.url}/produce`, {
      topic,
      message: { timestamp: '2024-01-15T10:30:00Z', source: 'mine', text: 'x' },
    });
    expect(res.status).to.equal(200);
    const [record] = await readTopic(topic);
    const value = JSON.parse(record!.payload);
    expect(value.timestamp).to.equal('2024-01-15T10:30:00Z');
    expect(value.source).to.equal('mine');
    expect(value.server_time).to.be.a('number');
    expect(record!.headers['kgate-source']).to.equal('test-source');
    expect(record!.headers['kgate-timestamp']).to.equal(res.body.timestamp);
  });

  it('writes non-object messages verbatim as JSON, metadata in headers only', async () => {
    const topic = uniqueTopic('scalar');
    const res = await postJson(`${gw.url}/produce`, { topic, message: 'plain text' });
    expect(res.status).to.equal(200);
    const [record] = await readTopic(topic);
    expect(record!.payload).to.equal('"plain text"');
    expect(record!.key).to.equal(null);
    expect(record!.headers['kgate-request-id']).to.equal(res.body.request_id);
  });

  it('writes to the partition the client names', async () => {
    const topic = uniqueTopic('partition');
    const first = await postJson(`${gw.url}/produce`, { topic, message: { n: 1 } });
    expect(first.status).to.equal(200);
    const res = await postJson(`${gw.url}/produce`, { topic, message: { n: 2 }, partition: 2 });
    expect(res.status).to.equal(200);
    expect(res.body.partition).to.equal(2);
    const records = await readTopic(topic);
    expect(records.find((r) => JSON.parse(r.payload).n === 2)?.partition).to.equal(2);
  });

  it('keeps the caller\'s X-Request-Id from header to response to the Kafka record', async () => {
    const topic = uniqueTopic('request-id');
    const res = await postJson(`${gw.url}/produce`, { topic, message: { a: 1 } }, { 'x-request-id': 'caller-id-42' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-request-id')).to.equal('caller-id-42');
    expect(res.body.request_id).to.equal('caller-id-42');
    const [record] = await readTopic(topic);
    expect(record!.headers['kgate-request-id']).to.equal('caller-id-42');
    expect(JSON.parse(record!.payload).request_id).to.equal('caller-id-42');
  });

  it('lands 200 concurrent calls exactly once each', async () => {
    const topic = uniqueTopic('concurrent');
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => postJson(`${gw.url}/produce`, { topic, key: `k${i % 7}`, message: { i } })),
    );
    expect(responses.map((r) => r.status)).to.deep.equal(Array(200).fill(200));
    const records = await readTopic(topic);
    expect(records).to.have.length(200);
    const seen = records.map((r) => JSON.parse(r.payload).i as number).sort((a, b) => a - b);
    expect(seen).to.deep.equal(Array.from({ length: 200 }, (_, i) => i));
    const acked = new Set(responses.map((r) => `${r.body.partition}:${r.body.offset}`));
    expect(acked.size).to.equal(200);
    for (const r of records) expect(acked.has(`${r.partition}:${r.offset}`)).to.equal(true);
  });

  it('GET / and GET /health report name, version, runtime and Kafka connectivity', async () => {
    const root = (await (await fetch(`${gw.url}/`)).json()) as { endpoints: object; runtime: { node: string } };
    expect(root).to.include({ name: 'kgate' });
    expect(root.endpoints).to.include({ health: '/health', produce: '/produce' });
    expect(root.runtime.node).to.equal(process.version);
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.include({ status: 'healthy', kafka_connected: true });
  });
});

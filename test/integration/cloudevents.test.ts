import { expect } from 'chai';
import { CloudEvent, emitterFor, Mode, type TransportFunction } from 'cloudevents';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { ensureCloudEventsPy, parseWithPythonSdk } from '../helpers/cloudevents-py.js';
import { startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { objectSchema, schemaDir } from '../helpers/schema-dir.js';

// Clients nobody here wrote: the npm `cloudevents` SDK's HTTP emitter sends, the PyPI `cloudevents`
// SDK reads back what kcat found in Kafka, through its Kafka protocol binding.

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Emits with the SDK's HTTP emitter and returns kgate's answer (the emitter resolves with it). */
async function emit(url: string, event: CloudEvent<unknown>, mode: Mode): Promise<{ status: number; body: any }> {
  // The SDK's HTTP binding makes the message (headers and body per mode); its own httpTransport does
  // not resolve with the status, so the transport here is fetch, sending exactly that message.
  const transport: TransportFunction = async (message) => {
    const res = await fetch(url, { method: 'POST', headers: message.headers as Record<string, string>, body: message.body as string });
    return { status: res.status, body: await res.json() };
  };
  return (await emitterFor(transport, { mode })(event)) as { status: number; body: any };
}

describe('POST /cloudevents/{topic} (CloudEvents HTTP binding → Kafka protocol binding)', function () {
  this.timeout(60_000);
  let gw: RunningGateway;
  const STRUCTURED = 'ce-structured-';
  const schemaTopic = uniqueTopic('ce-schema');
  before(async () => {
    await ensureCloudEventsPy();
    const dir = schemaDir({ [`${schemaTopic}/1.0.0.json`]: objectSchema('orders/1.0.0', { order_id: { type: 'integer' } }, ['order_id']) });
    gw = await startTestGateway({ SCHEMA_DIR: dir, CLOUDEVENTS_STRUCTURED_TOPICS: `${STRUCTURED}*` });
  });
  after(() => gw.shutdown());

  it('binary mode (npm SDK emitter): ce_ headers, content-type, data as the value, partitionkey as the key; the PyPI SDK reads the same event back', async () => {
    const topic = uniqueTopic('ce-binary');
    const event = new CloudEvent({ source: '/orders', type: 'com.example.order.created', subject: 'order-1', partitionkey: 'order-1', data: { order_id: 1 } });
    const answer = await emit(`${gw.url}/cloudevents/${topic}`, event, Mode.BINARY);
    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ success: true, topic, offset: 0 });

    const [record] = await readTopic(topic);
    expect(record!.key).to.equal('order-1');
    expect(JSON.parse(record!.payload)).to.deep.equal({ order_id: 1 }); // no metadata fields in the data
    expect(record!.headers).to.include({ ce_specversion: '1.0', ce_id: event.id, ce_source: '/orders', ce_type: 'com.example.order.created', ce_subject: 'order-1', 'content-type': 'application/json; charset=utf-8' });
    expect(record!.headers['kgate-request-id']).to.equal(answer.body.request_id);

    const [parsed] = await parseWithPythonSdk([record!]);
    expect(parsed!.error).to.equal(undefined);
    expect(parsed!.attributes).to.include({ specversion: '1.0', id: event.id, source: '/orders', type: 'com.example.order.created', subject: 'order-1', partitionkey: 'order-1' });
    expect(parsed!.data).to.deep.equal({ order_id: 1 });
  });

  it('structured mode per CLOUDEVENTS_STRUCTURED_TOPICS: the value is the whole event; the PyPI SDK reads it back (JSON data and text data)', async () => {
    const topic = uniqueTopic(`${STRUCTURED}orders`);
    const json = new CloudEvent({ source: '/orders', type: 'com.example.order.created', partitionkey: 'k1', data: { order_id: 2 } });
    expect((await emit(`${gw.url}/cloudevents/${topic}`, json, Mode.STRUCTURED)).status).to.equal(200);
    const text = new CloudEvent({ source: '/logs', type: 'com.example.line', datacontenttype: 'text/plain', data: 'hello wörld' });
    expect((await emit(`${gw.url}/cloudevents/${topic}`, text, Mode.BINARY)).status).to.equal(200);

    const unordered = await readTopic(topic);
    expect(unordered).to.have.length(2);
    // One record per partition maybe: put the JSON event first.
    const records = [...unordered].sort((a) => (a.payload.includes(json.id) ? -1 : 1));
    expect(records[0]!.headers['content-type']).to.equal('application/cloudevents+json; charset=UTF-8');
    expect(records[0]!.key).to.equal('k1');
    expect(JSON.parse(records[0]!.payload)).to.include({ id: json.id, specversion: '1.0', partitionkey: 'k1' });
    const parsed = await parseWithPythonSdk(records);
    expect(parsed[0]!.error).to.equal(undefined);
    expect(parsed[0]!.attributes).to.include({ id: json.id, source: '/orders', type: 'com.example.order.created' });
    expect(parsed[0]!.data).to.deep.equal({ order_id: 2 });
    expect(parsed[1]!.error).to.equal(undefined);
    expect(parsed[1]!.attributes).to.include({ id: text.id, datacontenttype: 'text/plain' });
    expect(parsed[1]!.data).to.equal('hello wörld');
  });

  it('binary mode with non-JSON data keeps the bytes; a missing attribute or a wrong specversion is a 400 naming it', async () => {
    const topic = uniqueTopic('ce-bytes');
    const headers = { 'ce-specversion': '1.0', 'ce-id': 'b-1', 'ce-source': '/x', 'ce-type': 't', 'content-type': 'text/plain' };
    expect((await post(`${gw.url}/cloudevents/${topic}`, 'plain text', headers)).status).to.equal(200);
    const [record] = await readTopic(topic);
    expect(record!.payload).to.equal('plain text');
    expect(record!.headers['content-type']).to.equal('text/plain');

    const noSource = await post(`${gw.url}/cloudevents/${topic}`, '{}', { ...headers, 'ce-source': '', 'content-type': 'application/json' });
    expect(noSource.status).to.equal(400);
    expect(noSource.body).to.include({ success: false, code: 'MISSING_FIELD', field: 'source' });
    const { 'ce-type': _t, ...noTypeHeaders } = headers;
    const noType = await post(`${gw.url}/cloudevents/${topic}`, 'x', noTypeHeaders);
    expect(noType.body).to.include({ code: 'MISSING_FIELD', field: 'type' });
    const v03 = await post(`${gw.url}/cloudevents/${topic}`, JSON.stringify({ specversion: '0.3', id: '1', source: '/x', type: 't' }), { 'content-type': 'application/cloudevents+json' });
    expect(v03.status).to.equal(400);
    expect(v03.body).to.include({ code: 'INVALID_FIELD', field: 'specversion' });
  });

  it('batched mode: one result per event, 207 when one event fails (schema, missing attribute), the rest written', async () => {
    const batch = [
      { specversion: '1.0', id: 'e1', source: '/orders', type: 'created', data: { order_id: 1 } },
      { specversion: '1.0', id: 'e2', source: '/orders', type: 'created', data: { order_id: 'not a number' } },
      { specversion: '1.0', id: 'e3', source: '/orders', data: { order_id: 3 } },
      { specversion: '1.0', id: 'e4', source: '/orders', type: 'created', datacontenttype: 'text/plain', data: 'not json' },
    ];
    const res = await post(`${gw.url}/cloudevents/${schemaTopic}`, JSON.stringify(batch), { 'content-type': 'application/cloudevents-batch+json' });
    expect(res.status).to.equal(207);
    expect(res.body).to.include({ success: false, messages_sent: 1, messages_failed: 3 });
    expect(res.body.results[0]).to.include({ index: 0, success: true });
    expect(res.body.results[1]).to.include({ index: 1, success: false, code: 'SCHEMA_VALIDATION_FAILED' });
    expect(res.body.results[2]).to.include({ index: 2, success: false, code: 'MISSING_FIELD', field: 'type' });
    expect(res.body.results[3]).to.include({ index: 3, success: false, code: 'VALUE_NOT_JSON' });
    const records = await readTopic(schemaTopic);
    expect(records.map((r) => r.headers['ce_id'])).to.deep.equal(['e1']);
  });

  it('a retried event (same source + id) is written once and answered as a replay, alone or inside a batch', async () => {
    const topic = uniqueTopic('ce-retry');
    const event = new CloudEvent({ id: 'retry-1', source: '/billing', type: 'invoice.paid', data: { n: 1 } });
    const first = await emit(`${gw.url}/cloudevents/${topic}`, event, Mode.BINARY);
    const again = await fetch(`${gw.url}/cloudevents/${topic}`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(event.toJSON()) });
    expect(again.status).to.equal(200);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(((await again.json()) as any).offset).to.equal(first.body.offset);
    const batch = [event.toJSON(), { specversion: '1.0', id: 'retry-2', source: '/billing', type: 'invoice.paid', data: { n: 2 } }];
    const res = await post(`${gw.url}/cloudevents/${topic}`, JSON.stringify(batch), { 'content-type': 'application/cloudevents-batch+json' });
    expect(res.status).to.equal(200);
    expect(res.body.results[0]).to.include({ success: true, replayed: true, offset: first.body.offset });
    expect(res.body.results[1]).to.include({ success: true });
    expect(res.body.results[1].replayed).to.equal(undefined);
    const records = await readTopic(topic);
    expect(records.map((r) => r.headers['ce_id'])).to.have.members(['retry-1', 'retry-2']);
  });

  it('counts the messages under dialect="cloudevents"', async () => {
    const topic = uniqueTopic('ce-metrics');
    await emit(`${gw.url}/cloudevents/${topic}`, new CloudEvent({ source: '/m', type: 't', data: { a: 1 } }), Mode.BINARY);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).to.match(new RegExp(`kgate_messages_produced_total\\{topic="${topic}",dialect="cloudevents"\\} 1`));
  });
});

import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { streamNdjson } from '../helpers/ndjson.js';
import { waitForRecord } from '../helpers/schema-dir.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const traceparent = (traceId = hex(16), spanId = hex(8), flags = '01') => `00-${traceId}-${spanId}-${flags}`;

describe('W3C trace context with tracing off (the default): traceparent copied into each record, no SDK', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.shutdown());

  it('copies a valid traceparent and tracestate into the record as they came, and echoes the trace id', async () => {
    const topic = uniqueTopic('tp-copy');
    const tp = traceparent();
    const res = await postJson(`${gw.url}/produce`, { topic, message: { n: 1 } }, { traceparent: tp, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.headers.get('x-trace-id')).to.equal(tp.slice(3, 35));
    // No span of kgate's own with tracing off, so nothing to name in a traceresponse.
    expect(res.headers.get('traceresponse')).to.equal(null);
    const [record] = await readTopic(topic);
    expect(record!.headers['traceparent']).to.equal(tp);
    expect(record!.headers['tracestate']).to.equal('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(record!.headers['kgate-request-id']).to.equal(res.body.request_id);
  });

  for (const [what, value] of [
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${hex(8)}-01`],
    ['an all-zero parent id', `00-${hex(16)}-${'0'.repeat(16)}-01`],
    ['upper-case hex', traceparent().toUpperCase()],
    ['a short trace id', `00-${hex(15)}-${hex(8)}-01`],
    ['version ff', `ff-${hex(16)}-${hex(8)}-01`],
    ['junk', 'not a traceparent'],
  ] as const) {
    it(`ignores a traceparent with ${what}: 200, no trace headers on the record, no X-Trace-Id`, async () => {
      const topic = uniqueTopic('tp-invalid');
      const res = await postJson(`${gw.url}/produce`, { topic, message: { n: 1 } }, { traceparent: value, tracestate: 'a=b' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('x-trace-id')).to.equal(null);
      const [record] = await readTopic(topic);
      expect(record!.headers).not.to.have.property('traceparent');
      expect(record!.headers).not.to.have.property('tracestate');
    });
  }

  it('a batch: every record carries the request trace, except an item with its own traceparent, which wins (its tracestate too)', async () => {
    const topic = uniqueTopic('tp-batch');
    const request = traceparent();
    const own = traceparent();
    const res = await postJson(
      `${gw.url}/produce/batch`,
      [
        { topic, key: 'a', message: { i: 0 } },
        { topic, key: 'b', message: { i: 1 }, headers: { traceparent: own, app: 'x' } },
        { topic, key: 'c', message: { i: 2 }, headers: { app: 'y' } },
      ],
      { traceparent: request, tracestate: 'req=1' },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const byKey = new Map((await readTopic(topic)).map((r) => [r.key, r]));
    expect(byKey.get('a')!.headers).to.include({ traceparent: request, tracestate: 'req=1' });
    expect(byKey.get('b')!.headers).to.include({ traceparent: own, app: 'x' });
    expect(byKey.get('b')!.headers).not.to.have.property('tracestate');
    expect(byKey.get('c')!.headers).to.include({ traceparent: request, tracestate: 'req=1', app: 'y' });
  });

  it('NDJSON: the request trace on every line, a line with its own traceparent keeps it', async () => {
    const topic = uniqueTopic('tp-ndjson');
    const request = traceparent();
    const own = traceparent();
    const lines = [JSON.stringify({ topic, key: 'l1', message: 1 }), JSON.stringify({ topic, key: 'l2', message: 2, headers: { traceparent: own } })].map((l) => `${l}\n`);
    const answer = await streamNdjson(gw.url, lines, { headers: { traceparent: request } });
    expect(answer.ok).to.equal(2);
    const byKey = new Map((await readTopic(topic)).map((r) => [r.key, r]));
    expect(byKey.get('l1')!.headers['traceparent']).to.equal(request);
    expect(byKey.get('l2')!.headers['traceparent']).to.equal(own);
  });

  it('/submit-code: the submission and its queued status record carry the traceparent, so a worker continues the trace', async () => {
    const id = uniqueTopic('tp-submit');
    const tp = traceparent();
    const res = await postJson(`${gw.url}/submit-code`, { code: 'print(1)', language: 'python' }, { 'x-request-id': id, traceparent: tp });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.headers.get('x-trace-id')).to.equal(tp.slice(3, 35));
    const submission = await waitForRecord('code-execution', (r) => r.headers['kgate-request-id'] === id);
    expect(submission.headers['traceparent']).to.equal(tp);
    const status = await waitForRecord('code-execution-status', (r) => r.key === id);
    expect(status.headers['traceparent']).to.equal(tp);
  });

  it('a dialect (REST Proxy v2) carries it too; a record header traceparent given as bytes wins for its record', async () => {
    const topic = uniqueTopic('tp-rest');
    const request = traceparent();
    const own = traceparent();
    const res = await fetch(`${gw.url}/topics/${topic}`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.kafka.json.v2+json', accept: 'application/vnd.kafka.v2+json', traceparent: request },
      body: JSON.stringify({ records: [{ key: 'r1', value: 1, partition: 0 }, { key: 'r2', value: 2, partition: 0, headers: [{ key: 'traceparent', value: Buffer.from(own).toString('base64') }] }] }),
    });
    expect(res.status, await res.clone().text()).to.equal(200);
    expect(res.headers.get('x-trace-id')).to.equal(request.slice(3, 35));
    const records = await readTopic(topic);
    expect(records.map((r) => r.headers['traceparent'])).to.deep.equal([request, own]);
  });

  it('CloudEvents: an event\'s traceparent extension (distributed tracing) wins for its record, in a batch and in binary mode', async () => {
    const topic = uniqueTopic('tp-ce');
    const request = traceparent();
    const own = traceparent();
    const event = (id: string, extra: Record<string, string> = {}) => ({ specversion: '1.0', id, source: '/tp', type: 't', datacontenttype: 'application/json', data: { id }, ...extra });
    const batch = await fetch(`${gw.url}/cloudevents/${topic}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json', traceparent: request },
      body: JSON.stringify([event('plain'), event('own', { traceparent: own, tracestate: 'ce=1' }), event('bad', { traceparent: 'junk' })]),
    });
    expect(batch.status, await batch.clone().text()).to.equal(200);
    const ownBinary = traceparent();
    const binary = await fetch(`${gw.url}/cloudevents/${topic}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'binary', 'ce-source': '/tp', 'ce-type': 't', 'ce-traceparent': ownBinary, traceparent: request },
      body: JSON.stringify({ id: 'binary' }),
    });
    expect(binary.status, await binary.clone().text()).to.equal(200);
    const records = await readTopic(topic);
    expect(records).to.have.length(4);
    const byId = Object.fromEntries(records.map((r) => [r.headers['ce_id'], r.headers]));
    expect(byId['plain']!['traceparent']).to.equal(request);
    expect(byId['own']!['traceparent']).to.equal(own);
    expect(byId['own']!['tracestate']).to.equal('ce=1');
    // The extension itself stays as the sender wrote it (the event is the contract).
    expect(byId['own']!['ce_traceparent']).to.equal(own);
    expect(byId['bad']!['traceparent'], 'an invalid extension is ignored').to.equal(request);
    expect(byId['binary']!['traceparent']).to.equal(ownBinary);
  });

  it('an error answer echoes the trace id too', async () => {
    const tp = traceparent();
    const res = await postJson(`${gw.url}/produce`, { topic: uniqueTopic('tp-err') }, { traceparent: tp });
    expect(res.status).to.equal(400);
    expect(res.headers.get('x-trace-id')).to.equal(tp.slice(3, 35));
  });
});

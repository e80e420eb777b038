import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';

describe('Prefer: respond-async (real broker)', function () {
  this.timeout(60_000);
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw?.shutdown());

  it('answers 202 once queued, with the request id; the message lands', async () => {
    const topic = uniqueTopic('async');
    const res = await postJson(`${gw.url}/produce`, { topic, message: { id: 'fire' } }, { Prefer: 'respond-async, wait=5' });
    expect(res.status).to.equal(202);
    expect(res.headers.get('preference-applied')).to.equal('respond-async');
    expect(res.body).to.include({ success: true, status: 'queued' });
    expect(res.body.request_id).to.equal(res.headers.get('x-request-id'));
    let landed: string[] = [];
    for (let i = 0; i < 50 && landed.length === 0; i++) {
      landed = (await readTopic(topic).catch(() => [])).map((r) => JSON.parse(r.payload).id as string);
      if (landed.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(landed).to.deep.equal(['fire']);
  });

  it('bad input is still refused at once with its 4xx; a batch says which items were queued', async () => {
    const topic = uniqueTopic('async-bad');
    const bad = await postJson(`${gw.url}/produce`, { topic: 'bad topic', message: 1 }, { Prefer: 'respond-async' });
    expect(bad.status).to.equal(400);
    expect(bad.headers.get('preference-applied')).to.equal(null);
    const batch = await postJson(`${gw.url}/produce/batch`, [{ topic, message: 1 }, { topic, partition: -1, message: 2 }], { Prefer: 'respond-async' });
    expect(batch.status).to.equal(207);
    expect(batch.body.results[0]).to.deep.equal({ index: 0, status: 'queued' });
    expect(batch.body.results[1]).to.include({ index: 1, success: false, code: 'INVALID_PARTITION' });
    const all = await postJson(`${gw.url}/produce/batch`, [{ topic, message: 1 }, { topic, message: 2 }], { Prefer: 'respond-async' });
    expect(all.status).to.equal(202);
    expect(all.body.messages_queued).to.equal(2);
  });

  it('without the preference the answer waits for the acknowledgement (200 with an offset)', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic: uniqueTopic('sync'), message: 1 });
    expect(res.status).to.equal(200);
    expect(res.body.offset).to.be.a('number');
  });

  it('eventual failures of accepted messages are counted per topic and reason', async () => {
    // Partition 5 of a topic librdkafka has no metadata for yet: accepted locally, refused once the
    // (auto-created, 1-partition) topic is known.
    const topic = uniqueTopic('async-fail');
    const res = await postJson(`${gw.url}/produce`, { topic, partition: 5, message: 1 }, { Prefer: 'respond-async' });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    let metrics = '';
    for (let i = 0; i < 50 && !metrics.includes('kgate_async_messages_failed_total{'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      metrics = await (await fetch(`${gw.url}/metrics`)).text();
    }
    expect(metrics).to.match(/kgate_async_messages_failed_total\{topic="[^"]+",reason="unknown_partition"\} 1/);
  });
});

import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';

describe('POST /produce/batch against the real broker', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway({ BATCH_MAX_ITEMS: '10000' });
  });
  after(() => gw.shutdown());

  it('lands a 5 000-item batch exactly once, results in request order', async () => {
    const topic = uniqueTopic('batch-5000');
    const items = Array.from({ length: 5000 }, (_, i) => ({ topic, key: `k${i % 50}`, message: { i } }));
    const res = await postJson(`${gw.url}/produce/batch`, items);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ success: true, messages_sent: 5000, messages_failed: 0 });
    expect(res.body.results.map((r: { index: number }) => r.index)).to.deep.equal(items.map((_, i) => i));

    const records = await readTopic(topic);
    expect(records).to.have.length(5000);
    const values = records.map((r) => JSON.parse(r.payload).i as number);
    expect(new Set(values).size).to.equal(5000);
    // Each result's partition/offset is where that very item landed.
    const byPosition = new Map(records.map((r) => [`${r.partition}:${r.offset}`, JSON.parse(r.payload).i]));
    res.body.results.forEach((r: { partition: number; offset: number }, i: number) => {
      expect(byPosition.get(`${r.partition}:${r.offset}`)).to.equal(i);
    });
  });

  it('keeps request order for messages with the same key', async () => {
    const topic = uniqueTopic('batch-order');
    const items = Array.from({ length: 600 }, (_, i) => ({ topic, key: `key-${i % 3}`, message: { i } }));
    const res = await postJson(`${gw.url}/produce/batch`, items);
    expect(res.status).to.equal(200);
    const records = await readTopic(topic);
    for (const key of ['key-0', 'key-1', 'key-2']) {
      const sameKey = records.filter((r) => r.key === key).sort((a, b) => a.offset - b.offset);
      expect(new Set(sameKey.map((r) => r.partition)).size).to.equal(1);
      const order = sameKey.map((r) => JSON.parse(r.payload).i as number);
      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
      expect(order).to.have.length(200);
    }
  });

  it('delivers the valid items of a mixed batch and answers 207 with per-item errors', async () => {
    const topic = uniqueTopic('batch-mixed');
    const res = await postJson(`${gw.url}/produce/batch`, [
      { topic, key: 'a', message: { n: 0 } },
      { topic: 'bad topic!', message: { n: 1 } },
      { topic, message: { n: 2 } },
      { topic, key: 7, message: { n: 3 } },
      { topic },
      'not an object',
      { topic, message: { n: 6 }, partition: 999 },
    ]);
    expect(res.status).to.equal(207);
    expect(res.body).to.include({ success: false, messages_sent: 2, messages_failed: 5 });
    const codes = res.body.results.map((r: { success: boolean; code?: string }) => (r.success ? 'OK' : r.code));
    expect(codes).to.deep.equal(['OK', 'INVALID_TOPIC', 'OK', 'INVALID_KEY', 'MISSING_FIELD', 'INVALID_BODY', 'UNKNOWN_PARTITION']);
    expect(res.body.results[4].field).to.equal('message');
    expect(res.body.results[6].field).to.equal('partition');
    const records = await readTopic(topic);
    expect(records.map((r) => JSON.parse(r.payload).n).sort()).to.deep.equal([0, 2]);
  });

  it('a full producer queue is a 503-class per-item error the client sees, not a crash', async () => {
    const tiny = await startTestGateway({ KAFKA_QUEUE_MAX_MESSAGES: '10' });
    try {
      const topic = uniqueTopic('queue-full');
      const res = await postJson(`${tiny.url}/produce/batch`, Array.from({ length: 100 }, (_, i) => ({ topic, message: { i } })));
      expect(res.status).to.equal(207);
      const full = res.body.results.filter((r: { code?: string }) => r.code === 'QUEUE_FULL');
      expect(full.length).to.be.greaterThan(0);
      expect(full[0]).to.include({ success: false, retriable: true });
      expect(res.body.messages_sent + full.length).to.equal(100);
      expect(await readTopic(topic)).to.have.length(res.body.messages_sent);
      const single = await postJson(`${tiny.url}/produce`, { topic, message: { after: true } });
      expect(single.status).to.equal(200);
    } finally {
      await tiny.shutdown();
    }
  });

  it('refuses a batch over the item limit with 413, and an empty batch with 400', async () => {
    const small = await startTestGateway({ BATCH_MAX_ITEMS: '3' });
    try {
      const topic = uniqueTopic('batch-limit');
      const over = await postJson(`${small.url}/produce/batch`, Array.from({ length: 4 }, () => ({ topic, message: 1 })));
      expect(over.status).to.equal(413);
      expect(over.body).to.include({ code: 'BATCH_TOO_LARGE', limit: 3 });
      const empty = await postJson(`${small.url}/produce/batch`, []);
      expect(empty.status).to.equal(400);
      expect(empty.body.code).to.equal('EMPTY_BATCH');
      const notArray = await postJson(`${small.url}/produce/batch`, { topic, message: 1 });
      expect(notArray.status).to.equal(400);
      expect(notArray.body.code).to.equal('INVALID_BODY');
    } finally {
      await small.shutdown();
    }
  });
});

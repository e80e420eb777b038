import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';

describe('Idempotency-Key on /produce and /produce/batch (real broker)', function () {
  this.timeout(60_000);
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw?.shutdown());

  const ids = async (topic: string) => (await readTopic(topic)).map((r) => JSON.parse(r.payload).id as string);

  it('a retry with the same key replays the first answer and writes nothing', async () => {
    const topic = uniqueTopic('idem');
    const body = { topic, key: 'k', message: { id: 'one' } };
    const first = await postJson(`${gw.url}/produce`, body, { 'Idempotency-Key': 'key-1' });
    expect(first.status).to.equal(200);
    expect(first.headers.get('idempotent-replayed')).to.equal(null);
    const again = await postJson(`${gw.url}/produce`, body, { 'Idempotency-Key': 'key-1' });
    expect(again.status).to.equal(200);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    // Without the key, the same body is a new message.
    const fresh = await postJson(`${gw.url}/produce`, body);
    expect(fresh.body.offset).to.not.equal(first.body.offset);
    expect(await ids(topic)).to.deep.equal(['one', 'one']);
  });

  it('concurrent retries while the first is in flight wait for it: one write, one answer', async () => {
    const topic = uniqueTopic('idem-concurrent');
    const body = { topic, message: { id: 'c' } };
    const answers = await Promise.all(Array.from({ length: 8 }, () => postJson(`${gw.url}/produce`, body, { 'Idempotency-Key': 'concurrent' })));
    expect(answers.map((a) => a.status)).to.deep.equal(Array(8).fill(200));
    expect(new Set(answers.map((a) => `${a.body.partition}:${a.body.offset}`)).size).to.equal(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).to.have.length(7);
    expect(await ids(topic)).to.deep.equal(['c']);
  });

  it('the same key with another body is 422 IDEMPOTENCY_KEY_REUSED; bodies are compared byte for byte', async () => {
    const topic = uniqueTopic('idem-reuse');
    await postJson(`${gw.url}/produce`, { topic, message: { id: 'a' } }, { 'Idempotency-Key': 'reuse' });
    const other = await postJson(`${gw.url}/produce`, { topic, message: { id: 'b' } }, { 'Idempotency-Key': 'reuse' });
    expect(other.status).to.equal(422);
    expect(other.body).to.include({ code: 'IDEMPOTENCY_KEY_REUSED', retriable: false });
    // Same JSON, other bytes (whitespace): not the same request.
    const spaced = await postJson(`${gw.url}/produce`, JSON.stringify({ topic, message: { id: 'a' } }, null, 2), { 'Idempotency-Key': 'reuse' });
    expect(spaced.status).to.equal(422);
    expect(await ids(topic)).to.deep.equal(['a']);
  });

  it('one key for a whole batch: the per-item results are replayed, nothing written twice', async () => {
    const topic = uniqueTopic('idem-batch');
    const items = [
      { topic, message: { id: 'b1' } },
      { topic, partition: 99, message: { id: 'bad' } },
      { topic, message: { id: 'b2' } },
    ];
    const first = await postJson(`${gw.url}/produce/batch`, items, { 'Idempotency-Key': 'batch-1' });
    expect(first.status).to.equal(207);
    const again = await postJson(`${gw.url}/produce/batch`, items, { 'Idempotency-Key': 'batch-1' });
    expect(again.status).to.equal(207);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body.results).to.deep.equal(first.body.results);
    expect((await ids(topic)).sort()).to.deep.equal(['b1', 'b2']);
  });

  it('a bad key is refused with 400; bad input under a key is answered the same on retry', async () => {
    const topic = uniqueTopic('idem-bad');
    const badKey = await postJson(`${gw.url}/produce`, { topic, message: 1 }, { 'Idempotency-Key': 'x'.repeat(256) });
    expect(badKey.status).to.equal(400);
    expect(badKey.body.code).to.equal('INVALID_IDEMPOTENCY_KEY');
    const bad1 = await postJson(`${gw.url}/produce`, { topic: 'bad topic', message: 1 }, { 'Idempotency-Key': 'bad-input' });
    const bad2 = await postJson(`${gw.url}/produce`, { topic: 'bad topic', message: 1 }, { 'Idempotency-Key': 'bad-input' });
    expect([bad1.status, bad2.status]).to.deep.equal([400, 400]);
    expect(bad2.headers.get('idempotent-replayed')).to.equal('true');
  });
});

import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { getJson, postJson, startTestGateway } from '../helpers/gateway.js';
import { produceWithKcat, readTopic } from '../helpers/kcat.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';

const submission = { code: 'print(42)', language: 'python' };

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Issue 26, finding 1: a submission id is the gateway's own; another client cannot take one over.
describe('submission ids cannot be taken over (two clients, keys on, real broker)', function () {
  this.timeout(120_000);
  const statusTopic = uniqueTopic('takeover-status');
  const alice = newKey();
  const bob = newKey();
  let gw: RunningGateway;

  before(async () => {
    gw = await startTestGateway({
      STATUS_TOPIC: statusTopic,
      AUTH_KEYS_FILE: writeKeysFile([
        { name: 'alice', key_sha256: sha256Hex(alice), topics: ['code-execution'] },
        { name: 'bob', key_sha256: sha256Hex(bob), topics: ['code-execution'] },
      ]),
    });
  });
  after(() => gw?.shutdown());

  it("bob cannot reset alice's PASSED submission, add a message under her id, nor push her result out of the history", async () => {
    const id = uniqueTopic('alice-sub');
    const first = await postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': alice, 'x-request-id': id });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    // A worker finishes it.
    await produceWithKcat(statusTopic, [{ key: id, value: { request_id: id, status: 'PASSED', output: '42\n', updated_at: new Date().toISOString() } }]);
    await eventually(async () => ((await getJson(`${gw.url}/submissions/${id}`, { 'x-api-key': alice })).body?.status === 'PASSED' ? true : undefined));

    const takeover = await postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': bob, 'x-request-id': id });
    expect(takeover.status).to.equal(409);
    expect(takeover.body).to.include({ success: false, code: 'SUBMISSION_EXISTS', retriable: false, request_id: id });
    // 60 more tries (the history keeps 50): each refused, none recorded.
    const tries = await Promise.all(Array.from({ length: 60 }, () => postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': bob, 'x-request-id': id })));
    expect(tries.map((t) => t.status)).to.deep.equal(Array(60).fill(409));
    // Not even the owner may submit twice under one id.
    expect((await postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': alice, 'x-request-id': id })).status).to.equal(409);

    const lookup = await getJson(`${gw.url}/submissions/${id}`, { 'x-api-key': alice });
    expect(lookup.body).to.include({ status: 'PASSED', terminal: true });
    expect(lookup.body.history.map((e: any) => e.status)).to.deep.equal(['queued', 'PASSED']);
    const statuses = (await readTopic(statusTopic)).filter((r) => r.key === id).map((r) => JSON.parse(r.payload).status);
    expect(statuses).to.deep.equal(['queued', 'PASSED']);
    const messages = (await readTopic('code-execution')).filter((r) => r.headers['kgate-request-id'] === id);
    expect(messages.map((r) => r.headers['kgate-client'])).to.deep.equal(['alice']);
  });

  it('concurrent submissions under one new id: exactly one is queued, the others get 409', async () => {
    const id = uniqueTopic('race');
    const answers = await Promise.all(
      [alice, bob, alice, bob, bob].map((key) => postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': key, 'x-request-id': id })),
    );
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 409, 409, 409, 409]);
    await eventually(async () => ((await readTopic(statusTopic)).some((r) => r.key === id) ? true : undefined));
    const queued = (await readTopic(statusTopic)).filter((r) => r.key === id && JSON.parse(r.payload).status === 'queued');
    expect(queued).to.have.length(1);
  });

  it("/produce cannot put a message under alice's id on code-execution either: only /submit-code writes there", async () => {
    const id = uniqueTopic('alice-direct');
    expect((await postJson(`${gw.url}/submit-code`, submission, { 'x-api-key': alice, 'x-request-id': id })).status).to.equal(200);
    const forged = { request_id: id, code: 'print(666)', language: 'python', input_data: '', timestamp: new Date().toISOString(), status: 'submitted' };
    for (const headers of [{ 'x-api-key': bob }, { 'x-api-key': bob, 'x-request-id': id }]) {
      const single = await postJson(`${gw.url}/produce`, { topic: 'code-execution', message: forged }, headers);
      expect(single.status).to.equal(403);
      expect(single.body).to.include({ code: 'TOPIC_FORBIDDEN', reason: 'reserved' });
      const batch = await postJson(`${gw.url}/produce/batch`, [{ topic: 'code-execution', message: forged }], headers);
      expect(batch.body.results[0]).to.include({ code: 'TOPIC_FORBIDDEN' });
    }
    const messages = (await readTopic('code-execution')).filter((r) => JSON.parse(r.payload).request_id === id);
    expect(messages.map((r) => r.headers['kgate-client'])).to.deep.equal(['alice']);
  });
});

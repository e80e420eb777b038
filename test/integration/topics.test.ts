import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';

describe('GET /topics and GET /topics/{topic}', () => {
  const key = newKey();
  const prefix = uniqueTopic('meta');
  const mine = `${prefix}.mine`;
  const theirs = uniqueTopic('theirs');
  const status = `${prefix}-status`;
  let open: RunningGateway;
  let gw: RunningGateway;

  before(async () => {
    open = await startTestGateway({ STATUS_TOPIC: status });
    for (const topic of [mine, theirs]) expect((await postJson(`${open.url}/produce`, { topic, message: 1 })).status).to.equal(200);
    gw = await startTestGateway({
      STATUS_TOPIC: status,
      AUTH_KEYS_FILE: writeKeysFile([{ name: 'reader', key_sha256: sha256Hex(key), topics: [`${prefix}.*`] }]),
    });
  });
  after(async () => {
    await open?.shutdown();
    await gw?.shutdown();
  });
  const auth = { headers: { authorization: `Bearer ${key}` } };

  it('with keys: only the topics the key may write', async () => {
    const res = await fetch(`${gw.url}/topics`, auth);
    expect(res.status).to.equal(200);
    const { topics } = (await res.json()) as any;
    const partitions = (await gw.producer.clusterMetadata()).topics.find((t) => t.name === mine)!.partitions.length;
    expect(partitions).to.be.greaterThan(0);
    expect(topics).to.deep.equal([{ name: mine, partitions }]);
  });

  it('without a key: 401', async () => {
    expect((await fetch(`${gw.url}/topics`)).status).to.equal(401);
    expect((await fetch(`${gw.url}/topics/${mine}`)).status).to.equal(401);
  });

  it('one topic: partitions with leader, replicas and in-sync replicas', async () => {
    const res = await fetch(`${gw.url}/topics/${mine}`, auth);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as any;
    expect(body.name).to.equal(mine);
    expect(body.partitions.map((p: { partition: number }) => p.partition)).to.deep.equal([...body.partitions.keys()]);
    for (const p of body.partitions) {
      expect(p.leader).to.be.a('number');
      // The test broker is a single node: it leads, holds and is in sync for every partition.
      expect(p.replicas).to.deep.equal([p.leader]);
      expect(p.isr).to.deep.equal([p.leader]);
    }
  });

  it('a topic outside the key is 403 even when it exists; a missing one 404; a bad name 400', async () => {
    const forbidden = await fetch(`${gw.url}/topics/${theirs}`, auth);
    expect(forbidden.status).to.equal(403);
    expect(((await forbidden.json()) as any).code).to.equal('TOPIC_FORBIDDEN');
    const missing = await fetch(`${gw.url}/topics/${prefix}.nothing`, auth);
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as any).code).to.equal('UNKNOWN_TOPIC');
    expect((await fetch(`${gw.url}/topics/bad%20name`, auth)).status).to.equal(400);
  });

  it('asking about a missing topic does not create it', async () => {
    const ghost = `${prefix}.ghost`;
    expect((await fetch(`${gw.url}/topics/${ghost}`, auth)).status).to.equal(404);
    expect((await gw.producer.clusterMetadata()).topics.map((t) => t.name)).not.to.include(ghost);
  });

  it('without auth: every non-internal topic but the reserved ones', async () => {
    const res = await fetch(`${open.url}/topics`);
    const names = ((await res.json()) as any).topics.map((t: { name: string }) => t.name);
    expect(names).to.include.members([mine, theirs]);
    expect(names.some((n: string) => n.startsWith('__'))).to.equal(false);
    expect(names).not.to.include(status);
  });

  it('read-only: POST /topics is 405', async () => {
    const res = await fetch(`${open.url}/topics`, { method: 'POST' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('GET');
  });
});

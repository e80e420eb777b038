import { expect } from 'chai';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { produceWithKcat } from '../helpers/kcat.js';
import { openSse } from '../helpers/sse.js';

async function lookup(url: string, id: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/submissions/${id}`);
  return { status: res.status, body: await res.json() };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('status view across restarts and replicas (real broker)', function () {
  this.timeout(180_000);

  it('is rebuilt from the topic after a gateway restart, before the gateway is ready', async () => {
    const topic = uniqueTopic('status-restart');
    const first = await startTestGateway({ STATUS_TOPIC: topic });
    const id = (await postJson(`${first.url}/submit-code`, { code: 'print(5)', language: 'python' })).body.request_id as string;
    await produceWithKcat(topic, [
      { key: id, value: { request_id: id, status: 'PROCESSING', updated_at: new Date().toISOString() } },
      { key: id, value: { request_id: id, status: 'completed', output: 'ok', updated_at: new Date().toISOString() } },
    ]);
    await eventually(async () => ((await lookup(first.url, id)).body.status === 'completed' ? true : undefined));
    await first.shutdown();

    const second = await startTestGateway({ STATUS_TOPIC: topic });
    try {
      // startGateway returns once the view is rebuilt: no waiting, no polling.
      expect((await fetch(`${second.url}/ready`)).status).to.equal(200);
      const { status, body } = await lookup(second.url, id);
      expect(status).to.equal(200);
      expect(body.history.map((e: any) => e.status)).to.deep.equal(['queued', 'PROCESSING', 'completed']);
      expect(body.latest).to.include({ output: 'ok' });
    } finally {
      await second.shutdown();
    }
  });

  it('two replicas serve the same status, and a stream on one sees what is submitted through the other', async () => {
    const topic = uniqueTopic('status-replicas');
    const a = await startTestGateway({ STATUS_TOPIC: topic });
    const b = await startTestGateway({ STATUS_TOPIC: topic });
    try {
      const id = (await postJson(`${a.url}/submit-code`, { code: 'print(6)', language: 'python' })).body.request_id as string;
      const onB = await eventually(async () => {
        const r = await lookup(b.url, id);
        return r.status === 200 ? r.body : undefined;
      });
      expect(onB.status).to.equal('queued');
      const sse = await openSse(`${b.url}/submissions/${id}/events`);
      expect((await sse.next()).status).to.equal('queued');
      await produceWithKcat(topic, [{ key: id, value: { request_id: id, status: 'FAILED', updated_at: new Date().toISOString() } }]);
      expect((await sse.next()).status).to.equal('FAILED');
      const [la, lb] = await Promise.all([
        eventually(async () => {
          const r = await lookup(a.url, id);
          return r.body.status === 'FAILED' ? r.body : undefined;
        }),
        lookup(b.url, id).then((r) => r.body),
      ]);
      expect(la.history).to.deep.equal(lb.history);
    } finally {
      await Promise.all([a.shutdown(), b.shutdown()]);
    }
  });
});

import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { startWorker, type RunningWorker } from '../helpers/worker.js';

describe('examples/worker (real broker, test gateway)', function () {
  this.timeout(120_000);
  let gateway: RunningGateway;
  let worker: RunningWorker;
  const statusTopic = uniqueTopic('status-worker');

  before(async () => {
    gateway = await startTestGateway({ STATUS_TOPIC: statusTopic });
    worker = startWorker({ KGATE_URL: gateway.url, STATUS_TOPIC: statusTopic });
  });
  after(async () => {
    await worker?.stop();
    await gateway?.shutdown();
  });

  it('reports PENDING → PROCESSING → PASSED/FAILED for each submission (seed 004 rule)', async () => {
    const submit = async (code: string) => {
      const res = await postJson(`${gateway.url}/submit-code`, { code, language: 'python' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body.request_id as string;
    };
    const passing = await submit('print(1 + 41)');
    const tooShort = await submit('print(1)');
    const noDigit = await submit("print('hello world')");
    const statusesOf = (records: Awaited<ReturnType<typeof readTopic>>, id: string) =>
      records.filter((r) => r.key === id).map((r) => JSON.parse(r.payload) as Record<string, unknown>);

    let records: Awaited<ReturnType<typeof readTopic>> = [];
    const done = () => [passing, tooShort, noDigit].every((id) => statusesOf(records, id).length >= 4);
    const until = Date.now() + 90_000;
    while (!done()) {
      if (Date.now() > until) throw new Error(`statuses missing; worker output:\n${worker.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
      records = await readTopic(statusTopic).catch(() => []);
    }
    const pass = statusesOf(records, passing);
    // queued is the gateway's own, recorded by POST /submit-code; the rest are the worker's.
    expect(pass.map((s) => s.status)).to.deep.equal(['queued', 'PENDING', 'PROCESSING', 'PASSED']);
    expect(pass[3]).to.include({ request_id: passing, error_output: '' });
    expect(pass[3]!.output).to.be.a('string').and.not.equal('');
    expect(pass[3]!.execution_time).to.be.a('number');
    expect(pass[3]!.memory_usage).to.be.a('number');
    for (const s of pass) expect(Date.parse(s.updated_at as string)).to.be.a('number').and.not.NaN;
    // The gateway's own view (GET /submissions/{id}) agrees with the topic.
    const lookup = (await (await fetch(`${gateway.url}/submissions/${passing}`)).json()) as { history: Array<{ status: string }> };
    expect(lookup).to.include({ request_id: passing, status: 'PASSED', terminal: true });
    expect(lookup.history.map((e) => e.status)).to.deep.equal(['queued', 'PENDING', 'PROCESSING', 'PASSED']);
    for (const id of [tooShort, noDigit]) {
      const statuses = statusesOf(records, id);
      expect(statuses.map((s) => s.status)).to.deep.equal(['queued', 'PENDING', 'PROCESSING', 'FAILED']);
      expect(statuses[3]!.error_output).to.match(/at least 10 characters/);
    }
  });
});

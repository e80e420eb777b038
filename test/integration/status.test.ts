import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunningGateway } from '../../src/gateway.js';
import { bootstrap, KAFKA_LIBS_DIR, KAFKA_SCRIPT, TEST_BROKER_HOME, uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { produceWithKcat, readTopic } from '../helpers/kcat.js';
import { openSse } from '../helpers/sse.js';

const run = promisify(execFile);
const submission = { code: 'print(42)', language: 'python' };
const status = (request_id: string, s: string, extra: Record<string, unknown> = {}) => ({
  request_id,
  status: s,
  updated_at: new Date().toISOString(),
  ...extra,
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('submission status (real broker)', function () {
  this.timeout(120_000);
  const topic = uniqueTopic('status');
  let gw: RunningGateway;

  before(async () => {
    gw = await startTestGateway({ STATUS_TOPIC: topic, STREAM_HEARTBEAT_S: '1' });
  });
  after(async () => {
    await gw?.shutdown();
  });

  it('creates the status topic compacted', async () => {
    const { stdout } = await run('bash', [KAFKA_SCRIPT, 'tool', 'org.apache.kafka.tools.TopicCommand', '--bootstrap-server', bootstrap(), '--describe', '--topic', topic], {
      env: { ...process.env, KAFKA_HOME_DIR: TEST_BROKER_HOME, KAFKA_LIBS_DIR },
    });
    expect(stdout).to.match(/cleanup\.policy=compact/);
  });

  it('POST /submit-code records queued, keyed by request id, and a lookup right after answers 200', async () => {
    const res = await postJson(`${gw.url}/submit-code`, submission);
    expect(res.status).to.equal(200);
    const id = res.body.request_id as string;
    const lookup = await fetch(`${gw.url}/submissions/${id}`);
    expect(lookup.status).to.equal(200);
    const body = (await lookup.json()) as any;
    expect(body).to.include({ request_id: id, status: 'queued', terminal: false });
    expect(body.history.map((e: any) => e.status)).to.deep.equal(['queued']);
    const records = await readTopic(topic);
    const mine = records.filter((r) => r.key === id);
    expect(mine).to.have.length(1);
    expect(JSON.parse(mine[0]!.payload)).to.include({ request_id: id, status: 'queued' });
  });

  it('a refused submission leaves no status behind', async () => {
    const res = await postJson(`${gw.url}/submit-code`, { code: 'x', language: 'cobol' });
    expect(res.status).to.equal(400);
    const lookup = await fetch(`${gw.url}/submissions/${res.body.request_id}`);
    expect(lookup.status).to.equal(404);
  });

  it('404 SUBMISSION_NOT_FOUND for an id never seen, 400 INVALID_REQUEST_ID for a bad one', async () => {
    let res = await fetch(`${gw.url}/submissions/never-seen-${Date.now()}`);
    expect(res.status).to.equal(404);
    expect(await res.json()).to.include({ code: 'SUBMISSION_NOT_FOUND' });
    for (const bad of ['a'.repeat(129), 'semi;colon', '%20space']) {
      res = await fetch(`${gw.url}/submissions/${bad}`);
      expect(res.status, bad).to.equal(400);
      expect(await res.json()).to.include({ code: 'INVALID_REQUEST_ID' });
      res = await fetch(`${gw.url}/submissions/${bad}/events`);
      expect(res.status, bad).to.equal(400);
    }
  });

  it('SSE: current status first, every change in order, heartbeats, terminal status closes the stream', async () => {
    const { body } = await postJson(`${gw.url}/submit-code`, submission);
    const id = body.request_id as string;
    const sse = await openSse(`${gw.url}/submissions/${id}/events`);
    expect(sse.status).to.equal(200);
    expect(sse.headers.get('content-type')).to.match(/^text\/event-stream/);
    expect(await sse.next()).to.include({ request_id: id, status: 'queued' });
    await produceWithKcat(topic, [
      { key: id, value: status(id, 'PENDING') },
      { key: id, value: status(id, 'PROCESSING', { source: 'worker' }) },
    ]);
    expect((await sse.next()).status).to.equal('PENDING');
    const processing = await sse.next();
    expect(processing).to.deep.equal({ request_id: id, status: 'PROCESSING', updated_at: processing.updated_at });
    await new Promise((r) => setTimeout(r, 1500));
    expect(sse.comments).to.include('heartbeat');
    await produceWithKcat(topic, [{ key: id, value: status(id, 'PASSED', { output: '42\n', execution_time: 0.12, memory_usage: 1024 }) }]);
    expect(await sse.next()).to.include({ status: 'PASSED', output: '42\n', execution_time: 0.12, memory_usage: 1024 });
    expect(await sse.next()).to.equal(undefined);
    expect(sse.ended).to.equal(true);
    const lookup = (await (await fetch(`${gw.url}/submissions/${id}`)).json()) as any;
    expect(lookup.history.map((e: any) => e.status)).to.deep.equal(['queued', 'PENDING', 'PROCESSING', 'PASSED']);
    expect(lookup).to.include({ status: 'PASSED', terminal: true });
  });

  it('SSE on an id already terminal sends it and closes', async () => {
    const id = `done-${Date.now()}`;
    await produceWithKcat(topic, [{ key: id, value: status(id, 'cancelled') }]);
    await eventually(async () => ((await fetch(`${gw.url}/submissions/${id}`)).status === 200 ? true : undefined));
    const sse = await openSse(`${gw.url}/submissions/${id}/events`);
    expect(await sse.next()).to.include({ status: 'cancelled' });
    expect(await sse.next()).to.equal(undefined);
  });

  it('skips records that are not status events without stopping', async () => {
    const id = `junk-${Date.now()}`;
    await produceWithKcat(topic, [
      { key: id, value: 'not an object' },
      { key: id, value: { request_id: id, status: 'DONE', updated_at: 'x' } },
      { key: id, value: status(id, 'PENDING') },
    ]);
    const body = await eventually(async () => {
      const res = await fetch(`${gw.url}/submissions/${id}`);
      return res.status === 200 ? ((await res.json()) as any) : undefined;
    });
    expect(body.history.map((e: any) => e.status)).to.deep.equal(['PENDING']);
  });
});

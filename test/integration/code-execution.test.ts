import { expect } from 'chai';
import { cpSync } from 'node:fs';
import path from 'node:path';
import type { RunningGateway } from '../../src/gateway.js';
import { loadSchemaRegistry } from '../../src/schemas/registry.js';
import { bootstrap, uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { REPO_SCHEMAS, schemaDir, waitForRecord } from '../helpers/schema-dir.js';

describe('seed 000 code-submission API against the real broker', () => {
  const schema = loadSchemaRegistry(REPO_SCHEMAS).get('code-execution')!.latest;
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.shutdown());

  it('POST /submit-code answers "queued" and lands a schema-valid record in code-execution', async () => {
    const id = uniqueTopic('submit');
    const res = await postJson(`${gw.url}/submit-code`, { code: "print('Hello, World!')", language: 'python', input_data: '', user_id: 'user123' }, { 'x-request-id': id });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ message: 'Code submitted successfully to processing queue', request_id: id, status: 'queued', topic: 'code-execution' });
    expect(Date.parse(res.body.timestamp)).to.be.closeTo(Date.now(), 10_000);

    const record = await waitForRecord('code-execution', (r) => r.headers['kgate-request-id'] === id);
    expect([record.partition, record.offset]).to.deep.equal([res.body.partition, res.body.offset]);
    const value = JSON.parse(record.payload);
    expect(value).to.include({
      request_id: id,
      code: "print('Hello, World!')",
      language: 'python',
      input_data: '',
      user_id: 'user123',
      timestamp: res.body.timestamp,
      status: 'submitted',
    });
    expect(schema.validate(value), JSON.stringify(schema.validate.errors)).to.equal(true);
  });

  it('takes input_data and user_id as optional', async () => {
    const res = await postJson(`${gw.url}/submit-code`, { code: 'fn main() {}', language: 'rust' });
    expect(res.status).to.equal(200);
    const value = JSON.parse((await waitForRecord('code-execution', (r) => r.headers['kgate-request-id'] === res.body.request_id)).payload);
    expect(value).to.include({ input_data: '', language: 'rust' });
    expect(value).not.to.have.property('user_id');
  });

  for (const [what, body, field] of [
    ['empty code', { code: '', language: 'python' }, '$.code'],
    ['whitespace-only code', { code: '   ', language: 'python' }, '$.code'],
    ['missing code', { language: 'python' }, '$.code'],
    ['an unsupported language', { code: 'x', language: 'cobol' }, '$.language'],
    ['an unknown field', { code: 'x', language: 'go', contest: 1 }, '$.contest'],
  ] as const) {
    it(`refuses ${what} with 400 naming ${field}, and writes nothing`, async () => {
      const id = uniqueTopic('submit-bad');
      const res = await postJson(`${gw.url}/submit-code`, body, { 'x-request-id': id });
      expect(res.status).to.equal(400);
      expect(res.body).to.include({ success: false, code: 'SCHEMA_VALIDATION_FAILED', request_id: id });
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([field]);
      expect((await readTopic('code-execution')).some((r) => r.headers['kgate-request-id'] === id)).to.equal(false);
    });
  }

  it('refuses a body that is not an object, and GET /submit-code', async () => {
    const res = await postJson(`${gw.url}/submit-code`, ['print(1)']);
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('INVALID_BODY');
    const get = await fetch(`${gw.url}/submit-code`);
    expect(get.status).to.equal(405);
  });

  it('GET /supported-languages lists the schema\'s languages with name and extension', async () => {
    const body = (await (await fetch(`${gw.url}/supported-languages`)).json()) as { languages: Array<{ name: string; value: string; extension: string }> };
    expect(body.languages.map((l) => l.value)).to.deep.equal(['python', 'javascript', 'java', 'cpp', 'c', 'csharp', 'go', 'rust']);
    expect(body.languages).to.deep.include({ name: 'Python', value: 'python', extension: '.py' });
    expect(body.languages).to.deep.include({ name: 'C#', value: 'csharp', extension: '.cs' });
  });

  it('GET /kafka-status reports the connection, the servers, the topic and the producer settings in force', async () => {
    const body = (await (await fetch(`${gw.url}/kafka-status`)).json()) as Record<string, any>;
    expect(body).to.include({ status: 'connected', topic: 'code-execution' });
    expect(body.bootstrap_servers).to.deep.equal([bootstrap()]);
    // Retries are librdkafka's (unbounded under idempotence); delivery is bounded by the deadline.
    expect(body.producer_config).to.include({ acks: 'all', retries: 2_147_483_647, enable_idempotence: true, produce_deadline_ms: 10_000, message_timeout_ms: 120_000 });
  });
});

describe('CODE_EXECUTION_TOPIC', () => {
  it('sends submissions to the configured topic, checked by that topic\'s schema', async () => {
    const topic = uniqueTopic('ce-renamed');
    const dir = schemaDir({});
    cpSync(path.join(REPO_SCHEMAS, 'code-execution'), path.join(dir, topic), { recursive: true });
    const gw = await startTestGateway({ SCHEMA_DIR: dir, CODE_EXECUTION_TOPIC: topic });
    try {
      const res = await postJson(`${gw.url}/submit-code`, { code: 'package main', language: 'go' });
      expect(res.status).to.equal(200);
      expect(res.body.topic).to.equal(topic);
      const [record] = await readTopic(topic);
      expect(JSON.parse(record!.payload)).to.include({ code: 'package main', status: 'submitted' });
      const bad = await postJson(`${gw.url}/submit-code`, { code: 'x', language: 'cobol' });
      expect(bad.status).to.equal(400);
      expect(((await (await fetch(`${gw.url}/kafka-status`)).json()) as { topic: string }).topic).to.equal(topic);
    } finally {
      await gw.shutdown();
    }
  });

  it('without a schema for it, /submit-code and /supported-languages are not served', async () => {
    const gw = await startTestGateway({ SCHEMA_DIR: schemaDir({}), CODE_EXECUTION_TOPIC: uniqueTopic('ce-none') });
    try {
      expect((await postJson(`${gw.url}/submit-code`, { code: 'x', language: 'go' })).status).to.equal(404);
      expect((await fetch(`${gw.url}/supported-languages`)).status).to.equal(404);
      expect((await fetch(`${gw.url}/kafka-status`)).status).to.equal(200);
    } finally {
      await gw.shutdown();
    }
  });
});

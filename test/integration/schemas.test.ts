import { expect } from 'chai';
import type { RunningGateway } from '../../src/gateway.js';
import { loadSchemaRegistry } from '../../src/schemas/registry.js';
import { uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { objectSchema, REPO_SCHEMAS, schemaDir, waitForRecord } from '../helpers/schema-dir.js';
import { seedCodeExecutionMessage } from '../helpers/seed-messages.js';

const TOPIC = 'code-execution';
const valid = { ...seedCodeExecutionMessage };

describe('topic schemas against the real broker', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.shutdown());

  it('writes a valid code-execution message, unchanged but for the gateway metadata', async () => {
    const id = uniqueTopic('ce-valid');
    const res = await postJson(`${gw.url}/produce`, { topic: TOPIC, message: valid }, { 'x-request-id': id });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const record = await waitForRecord(TOPIC, (r) => r.headers['kgate-request-id'] === id);
    expect(JSON.parse(record.payload)).to.include(valid);
    expect(loadSchemaRegistry(REPO_SCHEMAS).get(TOPIC)!.latest.validate(JSON.parse(record.payload))).to.equal(true);
  });

  const constraints: Array<[string, Record<string, unknown>, string, string]> = [
    ['empty code', { code: '' }, '$.code', 'must not be empty'],
    ['whitespace-only code', { code: ' \n\t' }, '$.code', 'must contain a character other than whitespace'],
    ['code over 65536 characters', { code: 'x'.repeat(65_537) }, '$.code', 'must be at most 65536 characters long'],
    ['code that is not a string', { code: 42 }, '$.code', 'must be string'],
    ['a language not in seed 001', { language: 'cobol' }, '$.language', 'must be one of "python", "javascript", "java", "cpp", "c", "csharp", "go", "rust"'],
    ['a status outside the fixed set', { status: 'done' }, '$.status', 'must be one of "submitted", "queued", "running", "completed", "failed", "timeout", "cancelled"'],
    ['a timestamp that is not RFC 3339', { timestamp: 'yesterday' }, '$.timestamp', 'must match format "date-time"'],
    ['a request_id with a space', { request_id: 'a b' }, '$.request_id', 'must match the pattern ^[A-Za-z0-9._:-]+$'],
    ['input_data that is not a string', { input_data: { stdin: 1 } }, '$.input_data', 'must be string'],
    ['an empty user_id', { user_id: '' }, '$.user_id', 'must not be empty'],
    ['an unknown field', { priority: 'high' }, '$.priority', 'is not allowed here (no such field in the schema)'],
    ['a missing language', { language: undefined }, '$.language', 'is required'],
  ];
  for (const [what, change, path, message] of constraints) {
    it(`refuses ${what} with 400 naming ${path}`, async () => {
      const id = uniqueTopic('ce-invalid');
      const res = await postJson(`${gw.url}/produce`, { topic: TOPIC, message: { ...valid, ...change } }, { 'x-request-id': id });
      expect(res.status).to.equal(400);
      expect(res.body).to.include({ success: false, code: 'SCHEMA_VALIDATION_FAILED', retriable: false, schema: '/code-execution/1.0.0' });
      expect(res.body.errors).to.deep.equal([{ path, message }]);
      expect(res.body.detail).to.contain(path);
      expect((await readTopic(TOPIC)).some((r) => r.headers['kgate-request-id'] === id)).to.equal(false);
    });
  }

  it('refuses a "__proto__" field as unknown, and the gateway keeps working', async () => {
    const body = `{"topic":"${TOPIC}","message":{"code":"x","language":"go","status":"queued","__proto__":{"isAdmin":true}}}`;
    const res = await postJson(`${gw.url}/produce`, body);
    expect(res.status).to.equal(400);
    expect(res.body.errors).to.deep.equal([{ path: '$.__proto__', message: 'is not allowed here (no such field in the schema)' }]);
    expect(({} as Record<string, unknown>).isAdmin).to.equal(undefined);
  });

  it('refuses very deep nesting with MESSAGE_TOO_DEEP, on any topic', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await postJson(`${gw.url}/produce`, `{"topic":"${uniqueTopic('deep')}","message":${deep}}`);
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ code: 'MESSAGE_TOO_DEEP', field: 'message', limit: 64 });
  });

  it('judges each batch item on its own: valid items land, invalid ones carry their errors', async () => {
    const other = uniqueTopic('ce-batch-unregistered');
    const id = uniqueTopic('ce-batch');
    const res = await postJson(
      `${gw.url}/produce/batch`,
      [
        { topic: TOPIC, message: { ...valid, user_id: 'batch-0' } },
        { topic: TOPIC, message: { ...valid, language: 'brainfuck' } },
        { topic: other, message: { anything: true } },
        { topic: TOPIC, message: { ...valid, code: '', status: 'nope' } },
      ],
      { 'x-request-id': id },
    );
    expect(res.status).to.equal(207);
    expect(res.body).to.include({ messages_sent: 2, messages_failed: 2 });
    const [ok, badLanguage, unregistered, twoErrors] = res.body.results;
    expect(ok).to.include({ success: true, topic: TOPIC });
    expect(badLanguage).to.include({ index: 1, success: false, code: 'SCHEMA_VALIDATION_FAILED', topic: TOPIC });
    expect(badLanguage.errors.map((e: { path: string }) => e.path)).to.deep.equal(['$.language']);
    expect(unregistered).to.include({ success: true, topic: other });
    expect(twoErrors.errors.map((e: { path: string }) => e.path)).to.have.members(['$.code', '$.status']);
    const landed = (await readTopic(TOPIC)).filter((r) => r.headers['kgate-request-id'] === id);
    expect(landed.map((r) => JSON.parse(r.payload).user_id)).to.deep.equal(['batch-0']);
  });

  it('GET /schemas lists topics and versions; GET /schemas/{topic}[/{version}] returns the document', async () => {
    const list = (await (await fetch(`${gw.url}/schemas`)).json()) as { topics: Array<{ topic: string; latest: string; versions: Array<{ id: string }> }> };
    const ce = list.topics.find((t) => t.topic === TOPIC)!;
    expect(ce.latest).to.equal('1.0.0');
    expect(ce.versions.map((v) => v.id)).to.deep.equal(['/code-execution/1.0.0']);
    for (const url of [`/schemas/${TOPIC}`, `/schemas/${TOPIC}/1.0.0`, `/schemas/${TOPIC}/latest`]) {
      const res = await fetch(`${gw.url}${url}`);
      expect(res.status).to.equal(200);
      expect(((await res.json()) as { $id: string }).$id).to.equal('/code-execution/1.0.0');
    }
    const missing = await fetch(`${gw.url}/schemas/no-such-topic`);
    expect(missing.status).to.equal(404);
    const noVersion = await fetch(`${gw.url}/schemas/${TOPIC}/9.9.9`);
    expect(noVersion.status).to.equal(404);
    expect(await noVersion.json()).to.include({ code: 'NOT_FOUND' }).and.have.deep.property('versions', ['1.0.0']);
  });
});

describe('schema versions, policies and the dead-letter topic against the real broker', () => {
  const topic = uniqueTopic('pinned');
  const deadLetters = uniqueTopic('dead-letters');
  const dir = schemaDir(
    {
      [`${topic}/1.0.0.json`]: objectSchema(`/${topic}/1.0.0`, { a: { type: 'integer' } }, ['a']),
      [`${topic}/1.1.0.json`]: objectSchema(`/${topic}/1.1.0`, { a: { type: 'integer' }, b: { type: 'string' } }, ['a', 'b']),
    },
    { withRepoSchemas: true },
  );
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway({ SCHEMA_DIR: dir, UNREGISTERED_TOPICS: 'reject', DEAD_LETTER_TOPIC: deadLetters });
  });
  after(() => gw.shutdown());

  it('checks against the latest version by default and the pinned one when the message names it in $schema', async () => {
    const latest = await postJson(`${gw.url}/produce`, { topic, message: { a: 1 } });
    expect(latest.status).to.equal(400);
    expect(latest.body).to.include({ schema: `/${topic}/1.1.0` });
    expect(latest.body.errors).to.deep.equal([{ path: '$.b', message: 'is required' }]);

    const pinned = await postJson(`${gw.url}/produce`, { topic, message: { $schema: `/${topic}/1.0.0`, a: 2 } });
    expect(pinned.status, JSON.stringify(pinned.body)).to.equal(200);
    const byNumber = await postJson(`${gw.url}/produce`, { topic, message: { $schema: '1.0.0', a: 3 } });
    expect(byNumber.status).to.equal(200);
    const current = await postJson(`${gw.url}/produce`, { topic, message: { a: 4, b: 'x' } });
    expect(current.status).to.equal(200);

    const unknown = await postJson(`${gw.url}/produce`, { topic, message: { $schema: `/${topic}/2.0.0`, a: 5 } });
    expect(unknown.status).to.equal(400);
    expect(unknown.body).to.include({ code: 'UNKNOWN_SCHEMA_VERSION', field: 'message.$schema' });

    const records = (await readTopic(topic)).map((r) => JSON.parse(r.payload));
    expect(records.map((r) => r.a).sort()).to.deep.equal([2, 3, 4]);
    expect(records.find((r) => r.a === 2).$schema).to.equal(`/${topic}/1.0.0`);
  });

  it('with UNREGISTERED_TOPICS=reject, refuses a topic without a schema (400 TOPIC_NOT_REGISTERED)', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic: uniqueTopic('unregistered'), message: { a: 1 } });
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ code: 'TOPIC_NOT_REGISTERED', field: 'topic' });
    const registered = await postJson(`${gw.url}/produce`, { topic: TOPIC, message: { code: 'x', language: 'c', status: 'queued' } });
    expect(registered.status).to.equal(200);
  });

  it('with the default policy, accepts a topic without a schema', async () => {
    const open = await startTestGateway({ SCHEMA_DIR: dir });
    try {
      const unregistered = uniqueTopic('unregistered-ok');
      const res = await postJson(`${open.url}/produce`, { topic: unregistered, message: { free: 'form' } });
      expect(res.status).to.equal(200);
      expect((await readTopic(unregistered)).map((r) => JSON.parse(r.payload).free)).to.deep.equal(['form']);
    } finally {
      await open.shutdown();
    }
  });

  it('copies a message refused by its schema to the dead-letter topic with reason, topic and request id', async () => {
    const id = uniqueTopic('dlq-req');
    const message = { ...valid, language: 'cobol' };
    const res = await postJson(`${gw.url}/produce`, { topic: TOPIC, key: 'k1', message, headers: { trace: 't-1' } }, { 'x-request-id': id });
    expect(res.status).to.equal(400);
    const record = await waitForRecord(deadLetters, (r) => r.headers['kgate-request-id'] === id);
    const value = JSON.parse(record.payload);
    expect(value).to.include({ original_topic: TOPIC, request_id: id, key: 'k1' });
    expect(value.message).to.deep.equal(message);
    expect(value.headers).to.deep.equal({ trace: 't-1' });
    expect(value.error).to.include({ code: 'SCHEMA_VALIDATION_FAILED', schema: '/code-execution/1.0.0' });
    expect(value.error.errors).to.deep.equal([res.body.errors[0]]);
    expect(record.headers).to.include({ 'kgate-original-topic': TOPIC, 'kgate-error-code': 'SCHEMA_VALIDATION_FAILED' });

    // A refusal by policy is not a schema refusal: nothing is dead-lettered for it.
    const policyId = uniqueTopic('dlq-policy');
    await postJson(`${gw.url}/produce`, { topic: uniqueTopic('unregistered'), message: {} }, { 'x-request-id': policyId });
    const barrier = uniqueTopic('dlq-barrier');
    await postJson(`${gw.url}/produce`, { topic: TOPIC, message: {} }, { 'x-request-id': barrier });
    await waitForRecord(deadLetters, (r) => r.headers['kgate-request-id'] === barrier);
    expect((await readTopic(deadLetters)).some((r) => r.headers['kgate-request-id'] === policyId)).to.equal(false);
  });
});

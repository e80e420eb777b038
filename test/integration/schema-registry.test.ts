import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RunningGateway } from '../../src/gateway.js';
import { ROOT, uniqueTopic } from '../helpers/env.js';
import { getJson, postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { streamNdjson } from '../helpers/ndjson.js';
import { decodeWithConfluent, TestSchemaRegistry } from '../helpers/schema-registry.js';

// Topics with a registry value format, against a real registry (Apicurio Registry 3.0.9 through its
// Confluent API) and a real broker; what kgate wrote is read back and decoded by Confluent's own
// Python deserializers, which fetch the schema by the id in the record.

const orderV1 = {
  type: 'record',
  name: 'Order',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'amount', type: 'double' },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID'] } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
  ],
};
// Backward compatible: one more field, with a default.
const orderV2 = { ...orderV1, fields: [...orderV1.fields, { name: 'currency', type: 'string', default: 'EUR' }] };
const user = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'User',
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 }, emails: { type: 'array', items: { type: 'string' } } },
  required: ['name'],
  additionalProperties: false,
};

const eventProto = `syntax = "proto3";
package com.acme.events;
enum Kind { KIND_UNSPECIFIED = 0; CLICK = 1; VIEW = 2; }
message PageEvent {
  string event_id = 1;
  int64 user_id = 2;
  Kind kind = 3;
  repeated string tags = 4;
  map<string, int32> counts = 5;
  Where where = 6;
  message Where { string url = 1; double scroll = 2; }
}
message Audit { string who = 1; string what = 2; }
`;

const order = (id: number, extra: Record<string, unknown> = {}) => ({ id, amount: id + 0.5, status: 'NEW', note: `order ${id}`, tags: ['a', 'b'], ...extra });

describe('Schema Registry value formats (Apicurio 3.0.9, decoded by Confluent\'s Python deserializers)', function () {
  this.timeout(180_000);
  const registry = new TestSchemaRegistry();
  const prefix = uniqueTopic('sr');
  const avroTopic = `${prefix}.avro.orders`;
  const avroBatchTopic = `${prefix}.avro.batch`;
  const avroNdjsonTopic = `${prefix}.avro.ndjson`;
  const pinTopic = `${prefix}.avro.pinned`;
  const unknownTopic = `${prefix}.avro.nosubject`;
  const uncachedTopic = `${prefix}.avro.uncached`;
  const jsonSchemaTopic = `${prefix}.js.users`;
  const plainTopic = `${prefix}.plain`;
  const protoTopic = `${prefix}.pb.events`;
  const protoAuditTopic = `${prefix}.pbaudit`;
  const deadLetters = `${prefix}.dead-letters`;
  const ids: Record<string, number> = {};
  let gw: RunningGateway;

  before(async () => {
    await registry.start();
    for (const t of [avroTopic, avroBatchTopic, avroNdjsonTopic, pinTopic, uncachedTopic]) ids[t] = await registry.register(`${t}-value`, orderV1);
    ids[jsonSchemaTopic] = await registry.register(`${jsonSchemaTopic}-value`, user, 'JSON');
    ids[protoTopic] = await registry.register(`${protoTopic}-value`, eventProto, 'PROTOBUF');
    ids[protoAuditTopic] = await registry.register(`${protoAuditTopic}-value`, eventProto, 'PROTOBUF');
    gw = await startTestGateway({
      SCHEMA_REGISTRY_URL: registry.url,
      TOPIC_VALUE_FORMATS: `${prefix}.avro.*=avro,${prefix}.js.*=jsonschema,${prefix}.pb.*=protobuf,${protoAuditTopic}=protobuf:com.acme.events.Audit`,
      SCHEMA_REGISTRY_CACHE_TTL_S: '1',
      SCHEMA_REGISTRY_TIMEOUT_MS: '2000',
      DEAD_LETTER_TOPIC: deadLetters,
    });
  });
  after(async () => {
    await gw?.shutdown();
    await registry.remove();
  });

  it('Avro, one message: the Confluent deserializer reads back what was posted, under the registry\'s schema id', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic: avroTopic, key: 'k1', message: order(1) }, { 'x-request-id': `${prefix}-one` });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const decoded = await decodeWithConfluent(avroTopic, registry.url, 'avro');
    expect(decoded).to.have.length(1);
    expect(decoded[0]).to.deep.include({ magic: 0, schema_id: ids[avroTopic], value: order(1) });
    // kgate's metadata is in the headers only: the value is exactly the schema's record.
    const [record] = await readTopic(avroTopic);
    expect(record!.headers['kgate-request-id']).to.equal(`${prefix}-one`);
    expect(record!.headers['kgate-source']).to.equal('kgate');
  });

  it('Avro, a batch and an NDJSON stream: every item decoded equal, in order', async () => {
    const items = [order(10), order(11, { note: null, tags: [] }), order(12)];
    const res = await postJson(`${gw.url}/produce/batch`, items.map((message) => ({ topic: avroBatchTopic, key: 'same', message })));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const decoded = await decodeWithConfluent(avroBatchTopic, registry.url, 'avro');
    expect(decoded.map((d) => d.value)).to.deep.equal(items);
    expect(decoded.map((d) => d.schema_id)).to.deep.equal([ids[avroBatchTopic], ids[avroBatchTopic], ids[avroBatchTopic]]);

    const lines = [order(20), order(21)].map((message) => JSON.stringify({ topic: avroNdjsonTopic, key: 'same', message }) + '\n');
    const stream = await streamNdjson(gw.url, lines);
    expect(stream.ok, JSON.stringify(stream.results)).to.equal(2);
    expect((await decodeWithConfluent(avroNdjsonTopic, registry.url, 'avro')).map((d) => d.value)).to.deep.equal([order(20), order(21)]);
  });

  it('Avro: a field left out takes its default', async () => {
    const topic = `${prefix}.avro.defaults`;
    ids[topic] = await registry.register(`${topic}-value`, orderV1);
    const res = await postJson(`${gw.url}/produce`, { topic, message: { id: 5, amount: 1, status: 'PAID' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const [decoded] = await decodeWithConfluent(topic, registry.url, 'avro');
    expect(decoded!.value).to.deep.equal({ id: 5, amount: 1, status: 'PAID', note: null, tags: [] });
  });

  it('JSON Schema, one message and a batch: magic byte + id + the JSON, validated by the deserializer too', async () => {
    const one = { name: 'Ada', age: 36, emails: ['ada@example.org'] };
    const res = await postJson(`${gw.url}/produce`, { topic: jsonSchemaTopic, key: 'u', message: one });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const batch = [{ name: 'Grace' }, { name: 'Edsger', age: 72 }];
    const b = await postJson(`${gw.url}/produce/batch`, batch.map((message) => ({ topic: jsonSchemaTopic, key: 'u', message })));
    expect(b.status, JSON.stringify(b.body)).to.equal(200);
    const decoded = await decodeWithConfluent(jsonSchemaTopic, registry.url, 'jsonschema');
    expect(decoded.map((d) => d.value)).to.deep.equal([one, ...batch]);
    expect(new Set(decoded.map((d) => d.schema_id))).to.deep.equal(new Set([ids[jsonSchemaTopic]]));
  });

  it('Protobuf, one message and a batch: the first message by default, message indexes [0]; a named message gets its own', async () => {
    const one = { event_id: 'e1', user_id: 42, kind: 'CLICK', tags: ['a', 'b'], counts: { x: 2 }, where: { url: 'https://example.org', scroll: 0.5 } };
    const res = await postJson(`${gw.url}/produce`, { topic: protoTopic, key: 'e', message: one });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const batch = [{ event_id: 'e2', user_id: '9007199254740993', kind: 'VIEW' }, { event_id: 'e3' }];
    const b = await postJson(`${gw.url}/produce/batch`, batch.map((message) => ({ topic: protoTopic, key: 'e', message })));
    expect(b.status, JSON.stringify(b.body)).to.equal(200);
    const decoded = await decodeWithConfluent(protoTopic, registry.url, 'protobuf');
    expect(decoded.map((d) => d.schema_id)).to.deep.equal([ids[protoTopic], ids[protoTopic], ids[protoTopic]]);
    // The proto3 JSON mapping of Confluent's side: int64 as a string, defaults left out.
    expect(decoded.map((d) => d.value)).to.deep.equal([
      { message_type: 'com.acme.events.PageEvent', message_indexes: [0], fields: { ...one, user_id: '42' } },
      { message_type: 'com.acme.events.PageEvent', message_indexes: [0], fields: batch[0] },
      { message_type: 'com.acme.events.PageEvent', message_indexes: [0], fields: batch[1] },
    ]);

    const audit = await postJson(`${gw.url}/produce`, { topic: protoAuditTopic, message: { who: 'ada', what: 'login' } });
    expect(audit.status, JSON.stringify(audit.body)).to.equal(200);
    const [a] = await decodeWithConfluent(protoAuditTopic, registry.url, 'protobuf');
    expect(a!.value).to.deep.equal({ message_type: 'com.acme.events.Audit', message_indexes: [1], fields: { who: 'ada', what: 'login' } });

    const bad = await postJson(`${gw.url}/produce`, { topic: protoTopic, message: { event_id: 'e4', kind: 'SCROLL', where: { url: 7 } } });
    expect(bad.status).to.equal(422);
    expect(bad.body.errors).to.deep.equal([
      { path: '$.kind', message: 'must be one of "KIND_UNSPECIFIED", "CLICK", "VIEW"' },
      { path: '$.where.url', message: 'must be a string' },
    ]);
  });

  it('a message that breaks the schema: 422 naming the field, nothing written, a JSON copy in the dead-letter topic', async () => {
    const topic = `${prefix}.avro.broken`;
    ids[topic] = await registry.register(`${topic}-value`, orderV1);
    const res = await postJson(`${gw.url}/produce`, { topic, message: { ...order(1), amount: 'lots', colour: 'red' } }, { 'x-request-id': `${prefix}-broken` });
    expect(res.status).to.equal(422);
    expect(res.body).to.include({ code: 'VALUE_DOES_NOT_FIT_SCHEMA', retriable: false, schema_id: ids[topic], subject: `${topic}-value` });
    expect(res.body.errors).to.deep.equal([{ path: '$.amount', message: 'must be an Avro double' }]);
    expect(res.body.detail).to.contain('$.amount');

    const js = await postJson(`${gw.url}/produce`, { topic: jsonSchemaTopic, message: { name: '', age: -1 } });
    expect(js.status).to.equal(422);
    expect(js.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['$.name', '$.age']);

    // In a batch the bad item fails alone (207); the good one is written.
    const batch = await postJson(`${gw.url}/produce/batch`, [
      { topic, message: order(2) },
      { topic, message: { ...order(3), extra: 1 } },
    ]);
    expect(batch.status).to.equal(207);
    expect(batch.body.results[1]).to.deep.include({ success: false, code: 'VALUE_DOES_NOT_FIT_SCHEMA' });
    expect(batch.body.results[1].errors).to.deep.equal([{ path: '$.extra', message: 'is not allowed here (no such field in the schema)' }]);
    expect((await decodeWithConfluent(topic, registry.url, 'avro')).map((d) => d.value)).to.deep.equal([order(2)]);

    const dead = (await readTopic(deadLetters)).map((r) => JSON.parse(r.payload));
    const copy = dead.find((d) => d.request_id === `${prefix}-broken`);
    expect(copy).to.deep.include({ original_topic: topic, message: { ...order(1), amount: 'lots', colour: 'red' } });
    expect(copy.error.code).to.equal('VALUE_DOES_NOT_FIT_SCHEMA');
  });

  it('a subject the registry does not have: 422 UNKNOWN_SUBJECT at once', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic: unknownTopic, message: order(1) });
    expect(res.status).to.equal(422);
    expect(res.body).to.include({ code: 'UNKNOWN_SUBJECT', subject: `${unknownTopic}-value` });
  });

  it('pins: an older version by schema_version or schema_id; the new version once the TTL has passed', async () => {
    const first = await postJson(`${gw.url}/produce`, { topic: pinTopic, key: 'p', message: order(1) });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    const v2 = await registry.register(`${pinTopic}-value`, orderV2);
    expect(v2).to.not.equal(ids[pinTopic]);
    await new Promise((r) => setTimeout(r, 1_500)); // past SCHEMA_REGISTRY_CACHE_TTL_S=1
    const latest = await postJson(`${gw.url}/produce`, { topic: pinTopic, key: 'p', message: order(2, { currency: 'USD' }) });
    expect(latest.status, JSON.stringify(latest.body)).to.equal(200);
    const byVersion = await postJson(`${gw.url}/produce`, { topic: pinTopic, key: 'p', schema_version: 1, message: order(3) });
    expect(byVersion.status, JSON.stringify(byVersion.body)).to.equal(200);
    const byId = await postJson(`${gw.url}/produce/batch`, [{ topic: pinTopic, key: 'p', schema_id: ids[pinTopic], message: order(4) }]);
    expect(byId.status, JSON.stringify(byId.body)).to.equal(200);
    // The request-wide pin; an item's own pin wins over it.
    const byHeader = await postJson(
      `${gw.url}/produce/batch`,
      [
        { topic: pinTopic, key: 'p', message: order(6) },
        { topic: pinTopic, key: 'p', schema_version: 2, message: order(7, { currency: 'CHF' }) },
      ],
      { 'x-kgate-schema-version': '1' },
    );
    expect(byHeader.status, JSON.stringify(byHeader.body)).to.equal(200);
    const badHeader = await postJson(`${gw.url}/produce`, { topic: pinTopic, message: order(8) }, { 'x-kgate-schema-version': 'latest' });
    expect(badHeader.status).to.equal(400);
    expect(badHeader.body).to.include({ code: 'INVALID_HEADERS', field: 'X-Kgate-Schema-Version' });
    const missing = await postJson(`${gw.url}/produce`, { topic: pinTopic, schema_version: 9, message: order(5) });
    expect(missing.status).to.equal(422);
    expect(missing.body).to.include({ code: 'UNKNOWN_SCHEMA', field: 'schema_version' });
    const foreignId = await postJson(`${gw.url}/produce`, { topic: pinTopic, schema_id: ids[jsonSchemaTopic], message: order(5) });
    expect(foreignId.body).to.include({ code: 'UNKNOWN_SCHEMA', field: 'schema_id' });

    const decoded = await decodeWithConfluent(pinTopic, registry.url, 'avro');
    expect(decoded.map((d) => d.schema_id)).to.deep.equal([ids[pinTopic], v2, ids[pinTopic], ids[pinTopic], ids[pinTopic], v2]);
    expect(decoded.map((d) => d.value)).to.deep.equal([order(1), order(2, { currency: 'USD' }), order(3), order(4), order(6), order(7, { currency: 'CHF' })]);
  });

  it('a topic without a registry format keeps plain JSON, and refuses a pin', async () => {
    const res = await postJson(`${gw.url}/produce`, { topic: plainTopic, message: { a: 1 } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const [record] = await readTopic(plainTopic);
    expect(JSON.parse(record!.payload)).to.include({ a: 1, source: 'kgate' });
    const pinned = await postJson(`${gw.url}/produce`, { topic: plainTopic, schema_id: 1, message: { a: 1 } });
    expect(pinned.status).to.equal(400);
    expect(pinned.body).to.include({ code: 'INVALID_FIELD', field: 'schema_id' });
  });

  it('metrics count lookups, cache hits and encode failures per format', async () => {
    const text = (await getJson(`${gw.url}/metrics`)).body as string;
    const value = (series: string): number => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('kgate_schema_lookups_total{format="avro",result="miss"}')).to.be.greaterThan(0);
    expect(value('kgate_schema_lookups_total{format="avro",result="hit"}')).to.be.greaterThan(0);
    expect(value('kgate_value_encode_failures_total{format="avro",reason="value_does_not_fit_schema"}')).to.be.greaterThan(0);
    expect(value('kgate_value_encode_failures_total{format="jsonschema",reason="value_does_not_fit_schema"}')).to.equal(1);
    expect(value('kgate_value_encode_failures_total{format="avro",reason="unknown_subject"}')).to.equal(1);
    expect(value('kgate_schema_registry_requests_total{outcome="ok"}')).to.be.greaterThan(0);
  });

  it('TopicRecordNameStrategy and RecordNameStrategy: the subject is named after the record', async () => {
    const topic = `${prefix}.avro.records`;
    const id = await registry.register(`${topic}-com.acme.Order`, orderV1);
    const recordOnly = `${prefix}.rec.only`;
    const id2 = await registry.register('com.acme.Order', orderV2);
    for (const [strategy, t, expected] of [
      ['TopicRecordNameStrategy', topic, id],
      ['RecordNameStrategy', recordOnly, id2],
    ] as const) {
      const other = await startTestGateway({ SCHEMA_REGISTRY_URL: registry.url, TOPIC_VALUE_FORMATS: `${t}=avro:com.acme.Order`, SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY: strategy });
      try {
        const res = await postJson(`${other.url}/produce`, { topic: t, message: order(7) });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        const [decoded] = await decodeWithConfluent(t, registry.url, 'avro');
        expect(decoded!.schema_id).to.equal(expected);
      } finally {
        await other.shutdown();
      }
    }
  });

  it('npm run schemas:push registers the local files after the compatibility check, and refuses an incompatible change', async () => {
    const topic = `${prefix}.js.pushed`;
    const subject = `${topic}-value`;
    const dir = mkdtempSync(path.join(tmpdir(), 'kgate-push-'));
    const file = (version: string, properties: Record<string, unknown>, required: string[]) => {
      mkdirSync(path.join(dir, topic), { recursive: true });
      const doc = { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `/${topic}/${version}`, type: 'object', properties, required, additionalProperties: false };
      writeFileSync(path.join(dir, topic, `${version}.json`), JSON.stringify(doc));
    };
    // The project's script, as a team's CI would call it (npm run schemas:push -- --omit-dialect).
    const push = () =>
      promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/schemas-push.ts'), '--omit-dialect'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, SCHEMA_DIR: dir, SCHEMA_REGISTRY_URL: registry.url },
      }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    const versions = async () => ((await (await fetch(`${registry.url}/subjects/${subject}/versions`)).json()) as number[]).length;
    try {
      file('1.0.0', { name: { type: 'string' } }, ['name']);
      const first = await push();
      expect(first.code, first.out).to.equal(0);
      expect(first.out).to.match(new RegExp(`1\\.0\\.0\\.json → ${subject.replace(/\./g, '\\.')}: registered`));
      // Apicurio's default rule is NONE (Confluent's: BACKWARD): the subject's owner sets it.
      await registry.setCompatibility(subject, 'BACKWARD');

      file('1.1.0', { name: { type: 'string' }, nick: { type: 'string' } }, ['name']);
      const second = await push();
      expect(second.code, second.out).to.equal(0);
      expect(second.out).to.contain('1.0.0.json → ' + subject + ': already version 1');
      expect(second.out).to.contain('1.1.0.json → ' + subject + ': registered');
      expect(await versions()).to.equal(2);

      file('2.0.0', { name: { type: 'string' }, nick: { type: 'string' }, age: { type: 'integer' } }, ['name', 'age']);
      const third = await push();
      expect(third.code, third.out).to.equal(1);
      expect(third.out).to.contain(`${topic}/2.0.0.json → ${subject}: not compatible`);
      expect(await versions()).to.equal(2);

      // The pushed subject serves the gateway: this topic's values are checked by it and framed.
      const ok = await postJson(`${gw.url}/produce`, { topic, message: { name: 'Ada', nick: 'a' } });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      const refused = await postJson(`${gw.url}/produce`, { topic, message: { name: 'Ada', age: 3 } });
      expect(refused.status).to.equal(422);
      expect(refused.body.errors).to.deep.equal([{ path: '$.age', message: 'is not allowed here (no such field in the schema)' }]);
      const [decoded] = await decodeWithConfluent(topic, registry.url, 'jsonschema');
      expect(decoded!.value).to.deep.equal({ name: 'Ada', nick: 'a' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('/ready and /health say the registry answers', async () => {
    expect((await getJson(`${gw.url}/ready`)).body).to.include({ ready: true, schema_registry: 'up' });
    expect((await getJson(`${gw.url}/health`)).body).to.include({ schema_registry: 'up' });
  });

  // Last: the registry keeps its data in memory, so it does not come back.
  it('registry stopped: a cached subject is still written (200), an uncached one 503 with Retry-After; /ready says so', async () => {
    await registry.stop();
    await new Promise((r) => setTimeout(r, 1_200)); // the cached entry has expired: kept because the registry does not answer
    const cached = await postJson(`${gw.url}/produce`, { topic: avroTopic, key: 'k1', message: order(2) });
    expect(cached.status, JSON.stringify(cached.body)).to.equal(200);
    const started = Date.now();
    const uncached = await postJson(`${gw.url}/produce`, { topic: uncachedTopic, message: order(3) });
    expect(uncached.status).to.equal(503);
    expect(uncached.body).to.include({ code: 'SCHEMA_REGISTRY_UNAVAILABLE', retriable: true });
    expect(uncached.headers.get('retry-after')).to.match(/^\d+$/);
    expect(Date.now() - started).to.be.below(10_000);
    const ready = await getJson(`${gw.url}/ready`);
    expect(ready.status).to.equal(200); // cached subjects and plain topics still work: the replica stays in
    expect(ready.body).to.include({ schema_registry: 'down' });
    expect((await getJson(`${gw.url}/health`)).body).to.include({ schema_registry: 'down' });
    const text = (await getJson(`${gw.url}/metrics`)).body as string;
    expect(text).to.match(/^kgate_schema_lookups_total\{format="avro",result="stale"\} [1-9]/m);
    expect(text).to.match(/^kgate_value_encode_failures_total\{format="avro",reason="schema_registry_unavailable"\} 1$/m);
    // What was written while the registry was down reads back (offsets in order on the one key's partition).
    const records = await readTopic(avroTopic);
    expect(records).to.have.length(2);
    expect(records.every((r) => r.payload !== '')).to.equal(true);
  });
});

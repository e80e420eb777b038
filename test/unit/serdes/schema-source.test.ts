import { expect } from 'chai';
import { GatewayError } from '../../../src/errors/gateway-error.js';
import { RegistryNotFound, RegistryUnavailable, type RegisteredSchema, type RegistryClient } from '../../../src/serdes/registry-client.js';
import { createSchemaSource } from '../../../src/serdes/schema-source.js';

const avroSchema = (field: string) => JSON.stringify({ type: 'record', name: 'R', fields: [{ name: field, type: 'int' }] });

/** A registry in memory, with a switch to stop answering; counts the calls. */
function fakeRegistry() {
  const subjects = new Map<string, RegisteredSchema[]>();
  const state = { down: false, calls: 0 };
  const check = async () => {
    state.calls++;
    await Promise.resolve();
    if (state.down) throw new RegistryUnavailable('schema registry not reachable (ECONNREFUSED)');
  };
  const client: RegistryClient = {
    async version(subject, version) {
      await check();
      const versions = subjects.get(subject);
      if (!versions) throw new RegistryNotFound(40401, 'no subject');
      const found = version === 'latest' ? versions.at(-1) : versions.find((v) => v.version === version);
      if (!found) throw new RegistryNotFound(40402, 'no version');
      return found;
    },
    async byId(id, subject) {
      await check();
      const found = subjects.get(subject)?.find((v) => v.id === id);
      if (!found) throw new RegistryNotFound(40403, 'no id');
      return found;
    },
    isCompatible: async () => undefined,
    register: async () => 0,
    lookup: async () => undefined,
    ping: check,
    close: () => {},
  };
  let nextId = 1;
  const add = (subject: string, schema: string, schemaType: RegisteredSchema['schemaType'] = 'AVRO'): number => {
    const versions = subjects.get(subject) ?? [];
    const id = nextId++;
    versions.push({ subject, version: versions.length + 1, id, schema, schemaType });
    subjects.set(subject, versions);
    return id;
  };
  return { client, state, add };
}

async function refusal(run: () => unknown): Promise<GatewayError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('serdes: schema source (cache, TTL, registry outage)', () => {
  const log = { warn: () => {}, error: () => {} };

  it('asks once, then answers from the cache synchronously until the TTL; one call however many wait', async () => {
    const reg = fakeRegistry();
    const id = reg.add('t-value', avroSchema('a'));
    let t = 0;
    const lookups: string[] = [];
    const source = createSchemaSource({ client: reg.client, ttlMs: 1000, log, now: () => t, observer: { lookup: (_f, r) => lookups.push(r), registryCall: () => {} } });
    const first = source.codec('t-value', 'avro', undefined);
    const second = source.codec('t-value', 'avro', undefined);
    expect(first).to.be.instanceOf(Promise);
    expect(second).to.equal(first);
    expect((await first).schemaId).to.equal(id);
    expect(reg.state.calls).to.equal(1);
    const cached = source.codec('t-value', 'avro', undefined);
    expect(cached).to.not.be.instanceOf(Promise);
    expect(lookups).to.deep.equal(['miss', 'hit']);

    const id2 = reg.add('t-value', avroSchema('b'));
    t = 999;
    expect((source.codec('t-value', 'avro', undefined) as { schemaId: number }).schemaId).to.equal(id);
    t = 1000;
    expect((await source.codec('t-value', 'avro', undefined)).schemaId).to.equal(id2);
    expect(reg.state.calls).to.equal(2);
    expect(source.reachable()).to.equal(true);
  });

  it('registry down: a cached subject keeps its codec (asked again a little later), an uncached one is 503', async () => {
    const reg = fakeRegistry();
    const id = reg.add('cached-value', avroSchema('a'));
    reg.add('other-value', avroSchema('a'));
    let t = 0;
    const warnings: string[] = [];
    const source = createSchemaSource({ client: reg.client, ttlMs: 1000, log: { warn: (m: string) => void warnings.push(m), error: () => {} }, now: () => t });
    await source.codec('cached-value', 'avro', undefined);
    reg.state.down = true;
    t = 5000;
    expect((await source.codec('cached-value', 'avro', undefined)).schemaId).to.equal(id);
    const calls = reg.state.calls;
    expect(source.codec('cached-value', 'avro', undefined)).to.not.be.instanceOf(Promise); // not asked again at once
    expect(reg.state.calls).to.equal(calls);
    const err = await refusal(() => source.codec('other-value', 'avro', undefined));
    expect(err.code).to.equal('SCHEMA_REGISTRY_UNAVAILABLE');
    expect(err.status).to.equal(503);
    expect(source.reachable()).to.equal(false);
    await refusal(() => source.codec('other-value', 'avro', undefined));
    expect(warnings).to.deep.equal(['schema registry not answering']); // once per outage, not per request
    reg.state.down = false;
    await source.codec('other-value', 'avro', undefined);
    expect(warnings).to.deep.equal(['schema registry not answering', 'schema registry answers again']);
  });

  it('unknown subject → 422 UNKNOWN_SUBJECT; a pin that is not a version → 422 UNKNOWN_SCHEMA naming the field', async () => {
    const reg = fakeRegistry();
    reg.add('t-value', avroSchema('a'));
    const source = createSchemaSource({ client: reg.client, ttlMs: 1000, log });
    expect((await refusal(() => source.codec('nope-value', 'avro', undefined))).toJSON()).to.deep.include({ code: 'UNKNOWN_SUBJECT', subject: 'nope-value' });
    expect((await refusal(() => source.codec('t-value', 'avro', { schemaVersion: 3 }))).toJSON()).to.deep.include({ code: 'UNKNOWN_SCHEMA', field: 'schema_version' });
    expect((await refusal(() => source.codec('t-value', 'avro', { schemaId: 99 }))).toJSON()).to.deep.include({ code: 'UNKNOWN_SCHEMA', field: 'schema_id' });
  });

  it('pinned versions are kept for good (immutable); codecs are compiled once per schema id', async () => {
    const reg = fakeRegistry();
    const id = reg.add('t-value', avroSchema('a'));
    const source = createSchemaSource({ client: reg.client, ttlMs: 1000, log });
    const latest = await source.codec('t-value', 'avro', undefined);
    const pinned = await source.codec('t-value', 'avro', { schemaVersion: 1 });
    expect(pinned).to.equal(latest);
    expect(source.codec('t-value', 'avro', { schemaId: id })).to.be.instanceOf(Promise);
    expect(await source.codec('t-value', 'avro', { schemaId: id })).to.equal(latest);
    reg.state.down = true;
    expect(source.codec('t-value', 'avro', { schemaVersion: 1 })).to.equal(latest);
  });

  it('a subject whose schema type is not the topic\'s format is SCHEMA_UNUSABLE (500: the operator fixes it), logged', async () => {
    const reg = fakeRegistry();
    reg.add('t-value', '{"type":"object"}', 'JSON');
    const logged: string[] = [];
    const source = createSchemaSource({ client: reg.client, ttlMs: 1000, log: { warn: () => {}, error: (m: string) => void logged.push(m) } });
    const err = await refusal(() => source.codec('t-value', 'avro', undefined));
    expect(err.code).to.equal('SCHEMA_UNUSABLE');
    expect(err.status).to.equal(500);
    expect(logged).to.deep.equal(['registry schema cannot be used']);
  });
});

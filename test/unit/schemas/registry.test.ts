import { expect } from 'chai';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findVersion, loadSchemaRegistry, SchemaLoadError } from '../../../src/schemas/registry.js';
import { startTestGateway } from '../../helpers/gateway.js';
import { objectSchema, REPO_SCHEMAS, schemaDir } from '../../helpers/schema-dir.js';
import { seedCodeExecutionMessage } from '../../helpers/seed-messages.js';

const seedMessage = { ...seedCodeExecutionMessage };

describe('schema registry', () => {
  it('loads the repository schemas: code-execution 1.0.0 accepts seed 000\'s message', () => {
    const registry = loadSchemaRegistry(REPO_SCHEMAS);
    const ce = registry.get('code-execution')!;
    expect(ce.latest).to.include({ topic: 'code-execution', version: '1.0.0', id: '/code-execution/1.0.0' });
    expect(ce.latest.validate(seedMessage), JSON.stringify(ce.latest.validate.errors)).to.equal(true);
    expect(Object.isFrozen(ce.latest.document)).to.equal(true);
  });

  it('orders versions numerically, the latest is the default, and finds a version by $id or number', () => {
    const dir = schemaDir({
      't/1.9.0.json': objectSchema('/t/1.9.0', {}),
      't/1.10.0.json': objectSchema('/t/1.10.0', {}),
      't/1.2.0.json': objectSchema('/t/1.2.0', {}),
      't/README.md': 'not a schema',
    });
    const t = loadSchemaRegistry(dir).get('t')!;
    expect(t.versions.map((v) => v.version)).to.deep.equal(['1.2.0', '1.9.0', '1.10.0']);
    expect(t.latest.version).to.equal('1.10.0');
    expect(findVersion(t, '/t/1.9.0')?.version).to.equal('1.9.0');
    expect(findVersion(t, '1.2.0')?.id).to.equal('/t/1.2.0');
    expect(findVersion(t, '3.0.0')).to.equal(undefined);
  });

  it('lets a schema $ref another file by its $id', () => {
    const dir = schemaDir({
      'common/1.0.0.json': { $id: '/common/1.0.0', $defs: { name: { type: 'string', maxLength: 3 } } },
      'uses/1.0.0.json': objectSchema('/uses/1.0.0', { n: { $ref: '/common/1.0.0#/$defs/name' } }),
    });
    const v = loadSchemaRegistry(dir).get('uses')!.latest.validate;
    expect(v({ n: 'abc' })).to.equal(true);
    expect(v({ n: 'abcd' })).to.equal(false);
  });

  const broken: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a file that is not JSON', { 't/1.0.0.json': '{ "type": ' }, 't/1.0.0.json', /not valid JSON/],
    ['an unknown keyword (strict mode)', { 't/1.0.0.json': { $id: '/t/1.0.0', type: 'string', maxLenght: 3 } }, 't/1.0.0.json', /unknown keyword: "maxLenght"/],
    ['a schema that breaks the meta-schema', { 't/1.0.0.json': { $id: '/t/1.0.0', type: 'strng' } }, 't/1.0.0.json', /schema is invalid/],
    ['a missing $id', { 't/1.0.0.json': { type: 'object' } }, 't/1.0.0.json', /needs a "\$id"/],
    ['a duplicate $id', { 'a/1.0.0.json': { $id: '/x' }, 'b/1.0.0.json': { $id: '/x' } }, 'b/1.0.0.json', /already used by/],
    ['a nested-quantifier pattern', { 't/1.0.0.json': { $id: '/t/1.0.0', type: 'string', pattern: '^(a+)+$' } }, 't/1.0.0.json', /unsafe regular expression at \/pattern/],
    ['an unsafe patternProperties key', { 't/1.0.0.json': { $id: '/t/1.0.0', type: 'object', patternProperties: { '^(\\w+\\s?)*$': true } } }, 't/1.0.0.json', /unsafe regular expression/],
    ['a file name that is not a version', { 't/latest.json': { $id: '/t/latest' } }, 't/latest.json', /must be a version/],
    ['a schema file outside a topic folder', { 't.json': { $id: '/t' } }, 't.json', /belong in <topic>\/<version>.json/],
    ['a folder that is not a topic name', { 'bad topic/1.0.0.json': { $id: '/b' } }, 'bad topic', /not a topic name/],
    ['an unresolvable $ref', { 't/1.0.0.json': { $id: '/t/1.0.0', $ref: '/nowhere/1.0.0' } }, 't/1.0.0.json', /can't resolve reference/],
    ['an unknown format', { 't/1.0.0.json': { $id: '/t/1.0.0', type: 'string', format: 'colour' } }, 't/1.0.0.json', /unknown format "colour"/],
  ];
  for (const [what, files, file, problem] of broken) {
    it(`stops on ${what}, naming the file and the problem`, () => {
      const dir = schemaDir(files);
      expect(() => loadSchemaRegistry(dir))
        .to.throw(SchemaLoadError)
        .with.property('message')
        .that.contains(path.join(dir, file))
        .and.matches(problem);
    });
  }

  it('stops on a missing schema directory and on an empty topic folder', () => {
    expect(() => loadSchemaRegistry('/nonexistent/kgate-schemas')).to.throw(SchemaLoadError, /does not exist/);
    const dir = mkdtempSync(path.join(tmpdir(), 'kgate-schemas-'));
    mkdirSync(path.join(dir, 'empty'));
    expect(() => loadSchemaRegistry(dir)).to.throw(SchemaLoadError, /holds no <version>.json/);
  });

  it('a broken schema file stops the gateway from starting, and the error names the file', async () => {
    const dir = schemaDir({ 'orders/1.0.0.json': { $id: '/orders/1.0.0', type: 'object', requird: ['id'] } });
    let failure: unknown;
    try {
      // Schemas are compiled before the producer connects: no broker is reached (unit tests run without one).
      const gw = await startTestGateway({ SCHEMA_DIR: dir, KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' });
      await gw.shutdown();
    } catch (err) {
      failure = err;
    }
    expect(failure).to.be.instanceOf(SchemaLoadError);
    expect((failure as Error).message).to.contain(path.join(dir, 'orders/1.0.0.json')).and.contain('requird');
  });
});

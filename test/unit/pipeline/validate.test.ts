import { expect } from 'chai';
import { nestsDeeperThan } from '../../../src/pipeline/message-depth.js';
import type { ProduceItem } from '../../../src/pipeline/types.js';
import type { RequestContext } from '../../../src/shared/request-context.js';
import { createSchemaValidate, type SchemaValidateDeps } from '../../../src/pipeline/validate.js';
import { loadSchemaRegistry } from '../../../src/schemas/registry.js';
import { objectSchema, schemaDir } from '../../helpers/schema-dir.js';
import { refusal } from '../../helpers/refusal.js';

const ctx: RequestContext = { requestId: 'req-1', receivedAt: new Date('2024-12-01T14:30:22Z') };
const registry = loadSchemaRegistry(
  schemaDir(
    {
      'pinned/1.0.0.json': objectSchema('/pinned/1.0.0', { a: { type: 'integer' } }, ['a']),
      'pinned/2.0.0.json': objectSchema('/pinned/2.0.0', { a: { type: 'integer' }, b: { type: 'string' } }, ['a', 'b']),
    },
    { withRepoSchemas: true },
  ),
);

function item(topic: string, message: unknown): ProduceItem {
  return { topic, message, headers: {} };
}


describe('schema validate stage', () => {
  const base: SchemaValidateDeps = { registry, unregisteredTopics: 'accept', maxDepth: 8 };
  const validate = createSchemaValidate(base);
  const good = { code: 'print(1)', language: 'go', status: 'submitted' };

  it('leaves a schema-typed dialect value to the pipeline\'s format check: not checked, not dead-lettered', () => {
    const dead: unknown[] = [];
    const strict = createSchemaValidate({ ...base, unregisteredTopics: 'reject', deadLetter: (i) => void dead.push(i) });
    expect(() => strict({ topic: 'pinned', message: { nope: true }, headers: {}, declaredFormat: 'avro' }, ctx)).to.not.throw();
    expect(() => strict({ topic: 'unregistered', message: 1, headers: {}, declaredFormat: 'registry' }, ctx)).to.not.throw();
    expect(dead).to.have.length(0);
    expect(refusal(() => strict(item('pinned', { nope: true }), ctx)).code).to.equal('SCHEMA_VALIDATION_FAILED');
  });

  it('passes a valid message and refuses an invalid one with the failing fields', () => {
    expect(() => validate(item('code-execution', good), ctx)).not.to.throw();
    const err = refusal(() => validate(item('code-execution', { ...good, language: 'cobol', code: ' \n' }), ctx));
    expect(err.code).to.equal('SCHEMA_VALIDATION_FAILED');
    expect(err.status).to.equal(400);
    const body = err.toJSON();
    expect(body.schema).to.equal('/code-execution/1.0.0');
    expect(body.errors).to.deep.include({ path: '$.language', message: 'must be one of "python", "javascript", "java", "cpp", "c", "csharp", "go", "rust"' });
    expect(body.errors).to.deep.include({ path: '$.code', message: 'must contain a character other than whitespace' });
  });

  it('refuses a "__proto__" key as an unknown field and pollutes nothing', () => {
    const message = JSON.parse('{"code":"x","language":"go","status":"queued","__proto__":{"polluted":true}}') as object;
    const err = refusal(() => validate(item('code-execution', message), ctx));
    expect(err.toJSON().errors).to.deep.equal([{ path: '$.__proto__', message: 'is not allowed here (no such field in the schema)' }]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.getPrototypeOf(message)).to.equal(Object.prototype);
  });

  it('does not let an inherited property satisfy "required"', () => {
    const message = Object.create({ code: 'x', language: 'go', status: 'queued' }) as object;
    expect(refusal(() => validate(item('code-execution', message), ctx)).code).to.equal('SCHEMA_VALIDATION_FAILED');
  });

  it('refuses messages nested deeper than the limit, for any topic, before the schema', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const err = refusal(() => validate(item('unregistered', deep), ctx));
    expect(err.code).to.equal('MESSAGE_TOO_DEEP');
    expect(err.toJSON()).to.include({ field: 'message', limit: 8 });
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).to.equal(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).to.equal(true);
  });

  it('checks against the latest version unless the message pins one with $schema ($id or version)', () => {
    expect(refusal(() => validate(item('pinned', { a: 1 }), ctx)).toJSON().schema).to.equal('/pinned/2.0.0');
    expect(() => validate(item('pinned', { a: 1, b: 'x' }), ctx)).not.to.throw();
    expect(() => validate(item('pinned', { $schema: '/pinned/1.0.0', a: 1 }), ctx)).not.to.throw();
    expect(() => validate(item('pinned', { $schema: '1.0.0', a: 1 }), ctx)).not.to.throw();
    const unknown = refusal(() => validate(item('pinned', { $schema: '/pinned/9.0.0', a: 1 }), ctx));
    expect(unknown.code).to.equal('UNKNOWN_SCHEMA_VERSION');
    expect(unknown.toJSON()).to.include({ field: 'message.$schema' });
  });

  it('accepts or refuses topics without a schema, by policy', () => {
    expect(() => validate(item('anything', { x: 1 }), ctx)).not.to.throw();
    const strict = createSchemaValidate({ ...base, unregisteredTopics: 'reject' });
    const err = refusal(() => strict(item('anything', { x: 1 }), ctx));
    expect(err.code).to.equal('TOPIC_NOT_REGISTERED');
    expect(err.toJSON()).to.include({ field: 'topic' });
    expect(() => strict(item('code-execution', good), ctx)).not.to.throw();
  });

  it('hands schema refusals, and only those, to the dead letter', () => {
    const dead: string[] = [];
    const withDlq = createSchemaValidate({ ...base, unregisteredTopics: 'reject', deadLetter: (i, _c, e) => dead.push(`${i.topic}:${e.code}`) });
    refusal(() => withDlq(item('code-execution', { code: '' }), ctx));
    refusal(() => withDlq(item('pinned', { $schema: 'nope', a: 1 }), ctx));
    refusal(() => withDlq(item('anything', {}), ctx));
    refusal(() => withDlq(item('code-execution', [[[[[[[[[[]]]]]]]]]]), ctx));
    withDlq(item('code-execution', good), ctx);
    expect(dead).to.deep.equal(['code-execution:SCHEMA_VALIDATION_FAILED', 'pinned:UNKNOWN_SCHEMA_VERSION']);
  });
});

import { expect } from 'chai';
import avro from 'avsc';
import { avroCodec } from '../../../src/serdes/avro-codec.js';
import { CodecMismatch, CodecUnusable, type Codec } from '../../../src/serdes/codec.js';
import { jsonSchemaCodec } from '../../../src/serdes/json-schema-codec.js';
import { unframe } from '../../../src/serdes/wire-format.js';

function mismatch(codec: Codec, value: unknown): CodecMismatch {
  try {
    codec.encode(value);
  } catch (err) {
    if (err instanceof CodecMismatch) return err;
    throw err;
  }
  throw new Error('encoded a value that does not fit');
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

const shape = {
  type: 'record',
  name: 'Shape',
  namespace: 'x',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'size', type: ['null', 'long'], default: null },
    { name: 'kind', type: [{ type: 'record', name: 'Circle', fields: [{ name: 'r', type: 'double' }] }, { type: 'record', name: 'Square', fields: [{ name: 'side', type: 'double' }] }] },
    { name: 'labels', type: { type: 'map', values: 'string' }, default: {} },
  ],
};

describe('serdes: Avro codec (avsc)', () => {
  const codec = avroCodec(42, JSON.stringify(shape));
  const type = avro.Type.forSchema(shape as avro.Schema, { wrapUnions: 'auto' });

  it('encodes natural JSON: a nullable union takes the plain value, a union of records the {"<full name>": value} form', () => {
    const value = { name: 'a', size: 3, kind: { 'x.Circle': { r: 1.5 } }, labels: { k: 'v' } };
    const framed = unframe(codec.encode(value))!;
    expect(framed.schemaId).to.equal(42);
    expect(plain(type.fromBuffer(framed.payload))).to.deep.equal(value);
  });

  it('fills defaults for fields left out', () => {
    const framed = unframe(codec.encode({ name: 'a', kind: { 'x.Square': { side: 2 } } }))!;
    expect(plain(type.fromBuffer(framed.payload))).to.deep.equal({ name: 'a', size: null, kind: { 'x.Square': { side: 2 } }, labels: {} });
  });

  it('names the field path of each problem', () => {
    expect(mismatch(codec, { name: 1, size: 'big', kind: { 'x.Circle': { r: 'x' } } }).errors).to.deep.equal([
      { path: '$.name', message: 'must be an Avro string' },
      { path: '$.size', message: 'must be one of null, long' },
      { path: '$.kind["x.Circle"].r', message: 'must be an Avro double' },
    ]);
    expect(mismatch(codec, { name: 'a', kind: { r: 1 } }).errors).to.deep.equal([{ path: '$.kind', message: 'must be {"<branch>": value} with a branch of x.Circle, x.Square' }]);
    expect(mismatch(codec, { kind: { 'x.Circle': { r: 1 } } }).errors).to.deep.equal([{ path: '$.name', message: 'is required' }]);
    expect(mismatch(codec, 'text').errors[0]!.path).to.equal('$');
  });

  it('refuses fields the schema does not have instead of dropping them', () => {
    expect(mismatch(codec, { name: 'a', kind: { 'x.Circle': { r: 1, colour: 'red' } }, extra: 1 }).errors).to.deep.equal([
      { path: '$.extra', message: 'is not allowed here (no such field in the schema)' },
      { path: '$.kind["x.Circle"].colour', message: 'is not allowed here (no such field in the schema)' },
    ]);
  });

  it('a schema avsc cannot read is unusable, not a client error', () => {
    expect(() => avroCodec(1, '{"type":"record"}')).to.throw(CodecUnusable);
    expect(() => avroCodec(1, 'not json')).to.throw(CodecUnusable);
  });
});

describe('serdes: JSON Schema codec (ajv)', () => {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { name: { type: 'string', minLength: 1 }, n: { type: 'integer' } },
    required: ['name'],
    additionalProperties: false,
    javaType: 'com.acme.User', // another tool's keyword: allowed (not strict mode)
  };
  const codec = jsonSchemaCodec(7, JSON.stringify(schema));

  it('frames the JSON text with the id', () => {
    const framed = unframe(codec.encode({ name: 'a', n: 1 }))!;
    expect(framed.schemaId).to.equal(7);
    expect(JSON.parse(framed.payload.toString())).to.deep.equal({ name: 'a', n: 1 });
  });

  it('names every field that does not fit', () => {
    expect(mismatch(codec, { name: '', n: 1.5, x: 1 }).errors).to.deep.equal([
      { path: '$.x', message: 'is not allowed here (no such field in the schema)' },
      { path: '$.name', message: 'must not be empty' },
      { path: '$.n', message: 'must be integer' },
    ]);
  });

  it('draft 2020-12 documents compile with the 2020 dialect', () => {
    const c = jsonSchemaCodec(8, JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }], items: false }));
    expect(() => c.encode(['a'])).to.not.throw();
    expect(mismatch(c, ['a', 1]).errors[0]!.path).to.equal('$');
  });

  it('refuses a schema with a catastrophic regular expression, or one that does not compile', () => {
    expect(() => jsonSchemaCodec(9, JSON.stringify({ type: 'string', pattern: '(a+)+$' }))).to.throw(CodecUnusable, /unsafe regular expression/);
    expect(() => jsonSchemaCodec(9, JSON.stringify({ type: 'nonsense' }))).to.throw(CodecUnusable);
  });
});

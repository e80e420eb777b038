// Per-message cost of turning a posted message into record value bytes, per value format (issue 25):
//   json        today's path: enrich (metadata fields) + JSON.stringify + Buffer (src/pipeline/serialise.ts)
//   jsonschema  registry JSON Schema: cached lookup + ajv validate + JSON.stringify + wire-format frame
//   avro        registry Avro: cached lookup + avsc's compiled check + unknown-field walk + avsc toBuffer + frame
//   protobuf    registry Protobuf: cached lookup + field checks + protobufjs fromObject + encode + message indexes + frame
// Each through the same entry the pipeline uses (serialise / the value encoder with a warm cache).
// The ~1 KiB record of bench/run.mjs. Run: npx tsx bench/serdes-encode.ts   (N=200000 by default)
import { performance } from 'node:perf_hooks';
import { enrich, metadataFor } from '../src/pipeline/enrich.js';
import { serialise } from '../src/pipeline/serialise.js';
import type { ProduceItem } from '../src/pipeline/types.js';
import type { RegisteredSchema, RegistryClient } from '../src/serdes/registry-client.js';
import { createSchemaSource } from '../src/serdes/schema-source.js';
import { compileTopicFormats } from '../src/serdes/topic-formats.js';
import { createValueEncoder } from '../src/serdes/value-encoder.js';

const record = { user_id: 123, action: 'login', data: 'x'.repeat(900), seq: 7 };
const avro = { type: 'record', name: 'Event', fields: [{ name: 'user_id', type: 'long' }, { name: 'action', type: 'string' }, { name: 'data', type: 'string' }, { name: 'seq', type: 'long' }] };
const jsonSchema = {
  type: 'object',
  required: ['user_id', 'action'],
  properties: { user_id: { type: 'integer' }, action: { type: 'string', maxLength: 64 }, data: { type: 'string' }, seq: { type: 'integer' } },
  additionalProperties: false,
};
const schemas: Record<string, RegisteredSchema> = {
  'a-value': { subject: 'a-value', version: 1, id: 1, schema: JSON.stringify(avro), schemaType: 'AVRO' },
  'p-value': {
    subject: 'p-value',
    version: 1,
    id: 3,
    schema: 'syntax = "proto3";\nmessage Event { int64 user_id = 1; string action = 2; string data = 3; int64 seq = 4; }\n',
    schemaType: 'PROTOBUF',
  },
  'j-value': { subject: 'j-value', version: 1, id: 2, schema: JSON.stringify(jsonSchema), schemaType: 'JSON' },
};
// An in-memory registry: the bench measures the warm path (every lookup a cache hit), not HTTP.
const client: RegistryClient = {
  version: async (subject) => schemas[subject]!,
  byId: async () => {
    throw new Error('unused');
  },
  isCompatible: async () => undefined,
  register: async () => 0,
  ping: async () => {},
  close: () => {},
};
const source = createSchemaSource({ client, ttlMs: 3_600_000, log: { warn: () => {}, error: () => {} } });
const formats = compileTopicFormats([
  { pattern: 'a', format: 'avro' },
  { pattern: 'j', format: 'jsonschema' },
  { pattern: 'p', format: 'protobuf' },
]);
const encoder = createValueEncoder({ formats, strategy: 'TopicNameStrategy', source });
await source.codec('a-value', 'avro', undefined);
await source.codec('j-value', 'jsonschema', undefined);
await source.codec('p-value', 'protobuf', undefined);

const ctx = { requestId: 'bench', receivedAt: new Date() };
const metadata = metadataFor(ctx, 'kgate');
const item: ProduceItem = { topic: 'plain', message: record, headers: {} };
const cases: Array<[string, () => unknown]> = [
  ['json (today: enrich + stringify)', () => serialise(enrich(item, metadata), ctx.receivedAt).value],
  ['jsonschema (registry, wire format)', () => encoder.encode(record, 'j', formats('j')!, undefined)],
  ['avro (registry, wire format)', () => encoder.encode(record, 'a', formats('a')!, undefined)],
  ['protobuf (registry, wire format)', () => encoder.encode(record, 'p', formats('p')!, undefined)],
];

let sink = 0;
function run(fn: () => unknown, n: number): number {
  const started = performance.now();
  for (let i = 0; i < n; i++) sink += (fn() as Buffer).length;
  return ((performance.now() - started) * 1000) / n;
}

const N = Number(process.env.N ?? 200_000);
console.log(`node ${process.version}, ${N} messages per case, best of 5 runs, ~1 KiB record`);
for (const [name, fn] of cases) {
  run(fn, Math.min(N, 20_000));
  const best = Math.min(...Array.from({ length: 5 }, () => run(fn, N)));
  console.log(`${name.padEnd(40)} ${best.toFixed(2)} µs/msg   (${(fn() as Buffer).length} bytes)`);
}
if (sink === 0) console.log('');

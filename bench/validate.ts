// Cost of the validate stage per message for the code-execution schema: depth guard + precompiled
// ajv validator (+ error formatting for the invalid case). Run: npx tsx bench/validate.ts
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../src/errors/gateway-error.js';
import { createSchemaValidate } from '../src/pipeline/validate.js';
import type { ProduceItem } from '../src/pipeline/types.js';
import { loadSchemaRegistry } from '../src/schemas/registry.js';
import { seedCodeExecutionMessage } from '../test/helpers/seed-messages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const registry = loadSchemaRegistry(path.join(root, 'schemas'));
const validate = createSchemaValidate({ registry, unregisteredTopics: 'accept', maxDepth: 64 });
const ctx = { requestId: 'bench', receivedAt: new Date() };

const seedMessage = { ...seedCodeExecutionMessage };
const cases: Array<[string, ProduceItem]> = [
  ['valid (seed 000 message)', { topic: 'code-execution', message: seedMessage, headers: {} }],
  ['valid, 16 KiB of code', { topic: 'code-execution', message: { ...seedMessage, code: 'x = 1\n'.repeat(2731) }, headers: {} }],
  ['invalid (bad language + empty code)', { topic: 'code-execution', message: { ...seedMessage, code: '', language: 'cobol' }, headers: {} }],
  ['unregistered topic (depth guard only)', { topic: 'other', message: seedMessage, headers: {} }],
];

function run(item: ProduceItem, n: number): number {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    try {
      validate(item, ctx);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
    }
  }
  return ((performance.now() - started) * 1000) / n;
}

const N = Number(process.env.N ?? 200_000);
console.log(`node ${process.version}, ${N} messages per case, best of 5 runs`);
for (const [name, item] of cases) {
  run(item, Math.min(N, 20_000)); // warm-up: let V8 optimise the compiled validator
  const best = Math.min(...Array.from({ length: 5 }, () => run(item, N)));
  console.log(`${name.padEnd(40)} ${best.toFixed(2)} µs/msg`);
}

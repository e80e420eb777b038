// Writes the `env` part of deploy/helm/kgate/values.schema.json from src/config/schema.ts, so that every
// setting of docs/configuration.md can be given through the chart's `env` map and `helm install` refuses a
// bad value (a typo in a name, a number out of range, a word outside an enum) before any pod starts.
// Numbers may be given as YAML numbers (range-checked here) or strings (checked by the gateway at start-up).
//   tsx scripts/chart/env-schema.ts          rewrite the file
//   tsx scripts/chart/env-schema.ts --check  exit 1 when the file is out of step (scripts/chart-test.sh)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { envSchema } from '../../src/config/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.join(root, 'deploy/helm/kgate/values.schema.json');

type JsonSchema = Record<string, unknown>;
const BOOLEAN_WORDS = ['true', 'false', '1', '0', 'yes', 'no'];

function valueSchema(field: z.ZodType): JsonSchema {
  const { $schema: _drop, default: _default, ...s } = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  if (s.type === 'integer') return { ...s, type: ['integer', 'string'], pattern: '^[0-9]+$' };
  if (s.type === 'number') return { ...s, type: ['number', 'string'], pattern: '^[0-9]+(\\.[0-9]+)?$' };
  const words = s.enum as string[] | undefined;
  if (words && BOOLEAN_WORDS.every((w) => words.includes(w)) && words.length === BOOLEAN_WORDS.length) {
    return { enum: [true, false, ...BOOLEAN_WORDS] };
  }
  // Zod's `format: uri` is left to the gateway: JSON Schema validators differ on it.
  const { format: _format, ...rest } = s;
  return rest;
}

export function envPropertySchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, field] of Object.entries(envSchema.shape)) properties[name] = valueSchema(field as z.ZodType);
  const passThrough = { type: ['string', 'number', 'boolean'] };
  return {
    description:
      'Environment variables of the gateway (docs/configuration.md), generated from src/config/schema.ts by ' +
      'scripts/chart/env-schema.ts. KAFKA_RDKAFKA_<PROPERTY> and the standard OTEL_* variables pass through.',
    type: 'object',
    properties,
    patternProperties: { '^KAFKA_RDKAFKA_[A-Z0-9_]+$': passThrough, '^OTEL_[A-Z0-9_]+$': passThrough },
    additionalProperties: false,
  };
}

const current = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
const wanted = { ...current, properties: { ...current.properties, env: envPropertySchema() } };
const text = `${JSON.stringify(wanted, null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(file, 'utf8') !== text) {
    console.error(`${path.relative(root, file)}: the env schema is out of step with src/config/schema.ts; run: npx tsx scripts/chart/env-schema.ts`);
    process.exit(1);
  }
  console.log('chart: values.schema.json env is in step with src/config/schema.ts');
} else {
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(root, file)} (${Object.keys(envSchema.shape).length} settings)`);
}

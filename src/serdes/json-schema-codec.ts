import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { addFormats, UNTRUSTED_DATA_OPTIONS } from '../schemas/ajv.js';
import { formatErrors } from '../schemas/format-errors.js';
import { patternsIn, unsafePatternReason } from '../schemas/safe-pattern.js';
import { CodecMismatch, CodecUnusable, type Codec } from './codec.js';
import { frame } from './wire-format.js';

/**
 * A registry JSON Schema, compiled once per schema id. The same safety options as the local schemas
 * (UNTRUSTED_DATA_OPTIONS, src/schemas/ajv.ts) but not strict mode: registry schemas are written for
 * other tools too and carry their keywords
 * (javaType, connect.*). The draft follows the document's `$schema` (draft-07 when absent, as
 * Confluent's serializers assume).
 */
export function jsonSchemaCodec(schemaId: number, text: string): Codec {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new CodecUnusable(`schema ${schemaId} is not JSON`);
  }
  if (typeof document !== 'object' || document === null) throw new CodecUnusable(`schema ${schemaId} is not a JSON Schema object`);
  for (const { pointer, pattern } of patternsIn(document)) {
    const reason = unsafePatternReason(pattern);
    if (reason) throw new CodecUnusable(`schema ${schemaId}: unsafe regular expression at ${pointer}: ${reason}`);
  }
  const draft = String((document as { $schema?: unknown }).$schema ?? '');
  const options = { ...UNTRUSTED_DATA_OPTIONS, strict: false, validateSchema: true } as const;
  const ajv = draft.includes('2020-12') ? new Ajv2020(options) : draft.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
  addFormats(ajv);
  let validate: ValidateFunction;
  try {
    // A copy without $id: two versions may share one, and it is no URL this gateway should resolve.
    const { $id: _ignored, ...rest } = document as Record<string, unknown>;
    validate = ajv.compile(rest);
  } catch (err) {
    throw new CodecUnusable(`schema ${schemaId} does not compile: ${(err as Error).message}`, { cause: err });
  }
  return {
    format: 'jsonschema',
    schemaId,
    encode(message) {
      if (!validate(message)) {
        const { errors, total } = formatErrors(validate.errors ?? []);
        throw new CodecMismatch(errors, total);
      }
      return frame(schemaId, Buffer.from(JSON.stringify(message)));
    },
  };
}

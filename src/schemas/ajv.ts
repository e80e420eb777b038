import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS; NodeNext types its default import as the module, whose `default` is the plugin.
export const addFormats: FormatsPlugin = (formatsModule as unknown as { default: FormatsPlugin }).default;

/**
 * Annotation keywords a schema may carry for the gateway's own use; they never affect validation.
 * Strict mode refuses any other unknown keyword, so a typo ("maxLenght") stops start-up instead of
 * silently validating nothing.
 */
export const ANNOTATION_KEYWORDS = ['x-enum-details'] as const;

export type SchemaCompiler = Ajv2020;

/**
 * ajv options for validating untrusted data, shared with the registry's JSON Schema codec
 * (src/serdes/json-schema-codec.ts): no defaults, coercion or property removal (validation never
 * writes to the message, so keys like "__proto__" stay inert data), own properties only (an
 * inherited "toString" never satisfies `required`), `u`-flag regular expressions, no `$data`.
 */
export const UNTRUSTED_DATA_OPTIONS = {
  allErrors: true,
  ownProperties: true,
  unicodeRegExp: true,
  useDefaults: false,
  coerceTypes: false,
  removeAdditional: false,
  $data: false,
} as const;

/** The one ajv instance of the local schemas: draft 2020-12, formats, strict, UNTRUSTED_DATA_OPTIONS. */
export function createSchemaCompiler(): SchemaCompiler {
  const ajv = new Ajv2020({ ...UNTRUSTED_DATA_OPTIONS, strict: true, messages: true, keywords: [...ANNOTATION_KEYWORDS] });
  addFormats(ajv);
  return ajv;
}

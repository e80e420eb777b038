import type { RegistryFormat } from '../config/value-formats.js';
import type { FieldError } from '../schemas/format-errors.js';

export type { RegistryFormat, ValueFormat } from '../config/value-formats.js';

/** One registry schema, compiled once per schema id: turns a message into the framed record value. */
export interface Codec {
  readonly format: RegistryFormat;
  readonly schemaId: number;
  /** The bytes to write, in the Confluent wire format; throws CodecMismatch when the message does not fit. */
  encode(message: unknown): Buffer;
}

/** A message that does not fit its schema: every problem, as JSONPath + text. */
export class CodecMismatch extends Error {
  constructor(
    readonly errors: FieldError[],
    readonly total: number,
  ) {
    super(errors[0] ? `${errors[0].path} ${errors[0].message}` : 'does not fit the schema');
    this.name = 'CodecMismatch';
  }
}

/** A registry schema kgate cannot use (wrong type for the topic's format, does not compile, unsafe pattern). */
export class CodecUnusable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodecUnusable';
  }
}

export const schemaTypeOf: Record<RegistryFormat, 'AVRO' | 'JSON' | 'PROTOBUF'> = { avro: 'AVRO', jsonschema: 'JSON', protobuf: 'PROTOBUF' };

import { GatewayError } from '../errors/gateway-error.js';
import { CodecMismatch, type Codec, type RegistryFormat } from './codec.js';
import type { Pin, SchemaSource } from './schema-source.js';
import { subjectName, type SubjectNameStrategy } from './subject-name.js';
import type { TopicFormat, TopicFormats } from './topic-formats.js';

export interface ValueEncoderDeps {
  formats: TopicFormats;
  strategy: SubjectNameStrategy;
  source: SchemaSource;
  /** Every refusal, by format and lower-case code (metrics). */
  onFailure?: ((format: RegistryFormat, code: string) => void) | undefined;
}

/**
 * The one place a message becomes the value bytes of a topic with a registry format (JSON Schema,
 * Avro, Protobuf; the Confluent wire format). Topics without one never come here: their values stay the
 * pipeline's plain JSON. Synchronous while the subject is cached, a promise while it is asked.
 */
export interface ValueEncoder {
  /** undefined: plain JSON (no registry format for this topic). */
  formatOf: TopicFormats;
  /** The subject a topic's values are encoded under (SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY), and that strategy:
   * what a client naming its subject (REST Proxy v3 `subject`) is checked against. */
  subjectOf(topic: string, format: TopicFormat): { subject: string; strategy: SubjectNameStrategy };
  encode(message: unknown, topic: string, format: TopicFormat, pin: Pin | undefined): Buffer | Promise<Buffer>;
}

export function createValueEncoder(deps: ValueEncoderDeps): ValueEncoder {
  const fail = (format: RegistryFormat, err: unknown): never => {
    if (err instanceof GatewayError) deps.onFailure?.(format, err.code.toLowerCase());
    throw err;
  };
  const run = (codec: Codec, message: unknown, subject: string): Buffer => {
    try {
      return codec.encode(message);
    } catch (err) {
      if (!(err instanceof CodecMismatch)) throw err;
      const more = err.total > 1 ? ` (and ${err.total - 1} more)` : '';
      throw new GatewayError('VALUE_DOES_NOT_FIT_SCHEMA', `message does not fit schema ${codec.schemaId} of subject "${subject}" (${codec.format}): ${err.message}${more}`, {
        info: { subject, schema_id: codec.schemaId, errors: err.errors, ...(err.total > err.errors.length ? { errors_total: err.total } : {}) },
      });
    }
  };
  return {
    formatOf: deps.formats,
    subjectOf: (topic, format) => ({ subject: subjectName(deps.strategy, topic, format.recordName), strategy: deps.strategy }),
    encode(message, topic, format, pin) {
      try {
        const subject = subjectName(deps.strategy, topic, format.recordName);
        const codec = deps.source.codec(subject, format.format, pin, format.recordName);
        if (codec instanceof Promise) {
          return codec.then((c) => run(c, message, subject)).catch((err: unknown) => fail(format.format, err));
        }
        return run(codec, message, subject);
      } catch (err) {
        return fail(format.format, err);
      }
    },
  };
}

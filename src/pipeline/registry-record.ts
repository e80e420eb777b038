import { GatewayError } from '../errors/gateway-error.js';
import type { KafkaRecord } from '../kafka/producer.js';
import type { TopicFormat } from '../serdes/topic-formats.js';
import { unframe } from '../serdes/wire-format.js';
import type { ValueEncoder } from '../serdes/value-encoder.js';
import type { DeadLetter } from './dead-letter.js';
import { recordHeaders, type Metadata } from './enrich.js';
import { nestsDeeperThan } from './message-depth.js';
import type { RequestContext } from '../shared/request-context.js';
import type { ProduceItem } from './types.js';

/** What the pipeline needs for topics whose values are encoded with a registry schema (src/serdes/). */
export interface RegistryValues {
  encoder: ValueEncoder;
  maxDepth: number;
  deadLetter?: DeadLetter | undefined;
}

/** Items of one request hand their records over in request order, even when a lookup makes one wait. */
export interface RequestOrder {
  tail?: Promise<unknown>;
}

/**
 * The serialise stage of a registry topic: the value is exactly the client's message, encoded
 * with its subject's schema; kgate's metadata goes only into the record headers. A message that
 * does not fit goes to the dead-letter topic as JSON, as a local-schema refusal does.
 */
export function registryRecord(
  values: RegistryValues,
  item: ProduceItem,
  format: TopicFormat,
  ctx: RequestContext,
  metadata: Metadata,
  order: RequestOrder,
): KafkaRecord | Promise<KafkaRecord> {
  if (nestsDeeperThan(item.message, values.maxDepth)) {
    throw new GatewayError('MESSAGE_TOO_DEEP', `"message" nests deeper than ${values.maxDepth} levels`, { field: 'message', info: { limit: values.maxDepth } });
  }
  // The item's own pin, else the request's (X-Kgate-Schema-Version), else the subject's latest.
  const pin =
    item.schemaId !== undefined
      ? { schemaId: item.schemaId }
      : item.schemaVersion !== undefined
        ? { schemaVersion: item.schemaVersion }
        : ctx.schemaVersion !== undefined
          ? { schemaVersion: ctx.schemaVersion }
          : undefined;
  const build = (value: Buffer): KafkaRecord => {
    const record: KafkaRecord = { topic: item.topic, value, headers: recordHeaders(item, metadata), timestampMs: ctx.receivedAt.getTime() };
    if (item.key !== undefined) record.key = item.key;
    if (item.partition !== undefined) record.partition = item.partition;
    record.requestId = ctx.requestId;
    return record;
  };
  const refused = (err: unknown): never => {
    if (err instanceof GatewayError && err.code === 'VALUE_DOES_NOT_FIT_SCHEMA') values.deadLetter?.(item, ctx, err);
    throw err;
  };
  let value: Buffer | Promise<Buffer>;
  try {
    value = values.encoder.encode(item.message, item.topic, format, pin);
  } catch (err) {
    return refused(err);
  }
  if (!(value instanceof Promise) && order.tail === undefined) return build(value);
  // Waits for the items before it, so records of one key keep the request's order.
  const previous = order.tail;
  const record = (previous === undefined ? Promise.resolve(value) : previous.then(() => value)).then(build, refused);
  order.tail = record.catch(() => {});
  return record;
}

/** The schema id of a value in the Confluent wire format (what a registry topic's record carries). */
export function schemaIdOf(record: KafkaRecord): number | undefined {
  return unframe(record.value)?.schemaId;
}

/**
 * A dialect record that says its value is schema-typed (REST Proxy AVRO, JSONSCHEMA, PROTOBUF, or a
 * schema named without a type) is written only to a topic with that registry value format, under the
 * subject kgate uses: kgate encodes with the topic's configured format, it never picks another one
 * for a record, so a record asking for something else is refused rather than written differently.
 */
export function checkDeclared(item: ProduceItem, format: TopicFormat | undefined, encoder: ValueEncoder | undefined): void {
  const declared = item.declaredFormat!;
  const named = declared === 'registry' ? 'a schema-typed value' : `a ${declared} value`;
  if (format === undefined || encoder === undefined) {
    throw new GatewayError('VALUE_FORMAT_MISMATCH', `${named} cannot be written to topic "${item.topic}": it has no registry value format (TOPIC_VALUE_FORMATS), so there is no schema to encode it with; send the value as JSON, BINARY or STRING data`, {
      info: { declared_format: declared, topic_format: 'json' },
    });
  }
  if (declared !== 'registry' && declared !== format.format) {
    throw new GatewayError('VALUE_FORMAT_MISMATCH', `${named} cannot be written to topic "${item.topic}": its registry value format (TOPIC_VALUE_FORMATS) is ${format.format}`, {
      info: { declared_format: declared, topic_format: format.format },
    });
  }
  if (item.subject === undefined && item.subjectStrategy === undefined) return;
  const own = encoder.subjectOf(item.topic, format);
  if (item.subjectStrategy !== undefined && item.subjectStrategy !== own.strategy) {
    throw new GatewayError('INVALID_FIELD', `subject name strategy ${item.subjectStrategy} is not the one this gateway uses (SCHEMA_REGISTRY_SUBJECT_NAME_STRATEGY=${own.strategy}); leave it out`, {
      field: 'value.subject_name_strategy',
      info: { subject: own.subject },
    });
  }
  if (item.subject !== undefined && item.subject !== own.subject) {
    throw new GatewayError('INVALID_FIELD', `subject ${JSON.stringify(item.subject)} is not the subject topic "${item.topic}" is encoded under ("${own.subject}", ${own.strategy}); name that one or leave it out`, {
      field: 'value.subject',
      info: { subject: own.subject },
    });
  }
}

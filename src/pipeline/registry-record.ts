import { GatewayError } from '../errors/gateway-error.js';
import type { KafkaRecord } from '../kafka/producer.js';
import type { TopicFormat } from '../serdes/topic-formats.js';
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

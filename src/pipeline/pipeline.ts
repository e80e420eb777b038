import type { Limits } from '../config/config.js';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import { OutcomeUnknownError, type Ack, type KafkaRecord } from '../kafka/producer.js';
import type { Logger } from '../logging/logger.js';
import { enrich, metadataFor, type Metadata } from './enrich.js';
import type { ClientShare } from './client-share.js';
import { normalise } from './normalise.js';
import { registryRecord, type RegistryValues, type RequestOrder } from './registry-record.js';
import { serialise } from './serialise.js';
import { ownTraceparentOf } from '../tracing/trace-context.js';
import { refusalEvent } from './trace-events.js';
import type { ItemOutcome, ProduceItem, Submitted } from './types.js';
import type { RequestContext } from '../shared/request-context.js';

/** Throws a GatewayError when the item must not be written. Schema checks plug in here. */
export type Validate = (item: ProduceItem, ctx: RequestContext) => void;

export interface PipelineDeps {
  limits: Limits;
  source: string;
  validate: Validate;
  /** Throws when the message is refused before hand-over; else settles with its delivery. */
  produce: (record: KafkaRecord) => Promise<Ack>;
  log: Pick<Logger, 'error'>;
  /** Each authenticated client's share of the in-flight capacity (client-share.ts); absent: no shares. */
  share?: Pick<ClientShare, 'take' | 'release' | 'limit'> | undefined;
  /** Topics with a registry value format (TOPIC_VALUE_FORMATS); absent: every value is plain JSON. */
  registry?: RegistryValues | undefined;
}

/** The normalise stage: a raw item to a ProduceItem, or a GatewayError naming the field. */
export type Normalise = (raw: unknown, limits: Limits) => ProduceItem;

export interface Pipeline {
  /** Runs items through normalise → validate → enrich → serialise → produce; one outcome per item, in order.
   * A dialect (src/http/dialects/) hands its own normalise stage: its shape of an item, the same stages after. */
  run(rawItems: readonly unknown[], ctx: RequestContext, normaliseItem?: Normalise): Promise<ItemOutcome[]>;
  /** The same, telling at once which items were refused and which are queued (for respond-async). */
  submit(rawItems: readonly unknown[], ctx: RequestContext, normaliseItem?: Normalise): Submitted;
}

/** The one path every entry point takes to Kafka. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const share = deps.share;
  function start(raw: unknown, ctx: RequestContext, metadata: Metadata, order: RequestOrder | undefined, normaliseItem: Normalise, count: number): ItemOutcome | Promise<ItemOutcome> {
    let topic: string | undefined;
    try {
      const item = normaliseItem(raw, deps.limits);
      topic = item.topic;
      deps.validate(item, ctx);
      const format = order === undefined ? undefined : deps.registry!.encoder.formatOf(item.topic);
      if (format === undefined && (item.schemaId !== undefined || item.schemaVersion !== undefined)) {
        throw new GatewayError('INVALID_FIELD', `"schema_id" and "schema_version" apply only to topics with a registry value format; "${item.topic}" takes plain JSON`, {
          field: item.schemaId !== undefined ? 'schema_id' : 'schema_version',
        });
      }
      if (format !== undefined) {
        const encoded = registryRecord(deps.registry!, item, format, ctx, metadata, order!);
        if (encoded instanceof Promise) {
          const recordTopic = item.topic;
          return encoded.then(
            (record) => hand(record, item, ctx, metadata, count),
            (err: unknown) => {
              if (ctx.trace?.spans !== undefined) refusalEvent(ctx.trace.spans, err, recordTopic);
              return failure(err, recordTopic, ctx, metadata);
            },
          );
        }
        return hand(encoded, item, ctx, metadata, count);
      }
      const record = serialise(enrich(item, metadata), ctx.receivedAt);
      record.requestId = ctx.requestId;
      return hand(record, item, ctx, metadata, count);
    } catch (err) {
      // Refused before hand-over (shape, permission, schema, encoding): an event on the request's span.
      if (ctx.trace?.spans !== undefined) refusalEvent(ctx.trace.spans, err, topic);
      return failure(err, topic, ctx, metadata);
    }
  }

  function hand(record: KafkaRecord, item: ProduceItem, ctx: RequestContext, metadata: Metadata, count: number): ItemOutcome | Promise<ItemOutcome> {
    // A producer span only with tracing on (src/tracing/): it ends with the acknowledgement or the
    // failure. Off, ctx.trace is absent or has no spans and nothing here is traced.
    const span = ctx.trace?.spans?.producer(record, ownTraceparentOf(item.headers), count);
    // produce() is called synchronously here, item after item, so records with the same key
    // enter librdkafka in request order and keep it (idempotent producer, one partition per key).
    const recordTopic = record.topic;
    // Each authenticated client's share of MAX_IN_FLIGHT (client-share.ts): taken before hand-over,
    // given back with the outcome; without keys (or for the gateway's own writes) nothing is counted.
    const client = share && !ctx.internal ? ctx.client?.name : undefined;
    if (client !== undefined && !share!.take(client)) {
      const error = new GatewayError('OVERLOADED', `this client has MAX_IN_FLIGHT_PER_CLIENT (${share!.limit}) messages in flight; not written, retry later`, {
        info: { max_in_flight_per_client: share!.limit },
      });
      span?.failed(error);
      return failure(error, recordTopic, ctx, metadata);
    }
    try {
      if (client === undefined && span === undefined) {
        return deps.produce(record).then(
          (ack): ItemOutcome => delivered(recordTopic, ack, metadata),
          (err: unknown) => failure(err, recordTopic, ctx, metadata),
        );
      }
      return deps.produce(record).then(
        (ack): ItemOutcome => {
          if (client !== undefined) share!.release(client);
          span?.acked(ack);
          return delivered(recordTopic, ack, metadata);
        },
        (err: unknown) => {
          if (client !== undefined) share!.release(client);
          span?.failed(err);
          return failure(err, recordTopic, ctx, metadata);
        },
      );
    } catch (err) {
      if (client !== undefined) share!.release(client);
      span?.failed(err);
      return failure(err, recordTopic, ctx, metadata);
    }
  }

  function delivered(topic: string, ack: Ack, metadata: Metadata): ItemOutcome {
    return { success: true, topic, ...ack, timestamp: metadata.timestamp };
  }

  function failure(err: unknown, topic: string | undefined, ctx: RequestContext, metadata: Metadata): ItemOutcome {
    if (err instanceof OutcomeUnknownError && topic !== undefined) {
      // Rare path (past the deadline): the closure is made only here.
      const eventual = err.eventual.then(
        (ack): ItemOutcome => delivered(topic, ack, metadata),
        (late: unknown) => failure(late, topic, ctx, metadata),
      );
      return { success: false, topic, error: err, eventual };
    }
    if (isGatewayError(err)) return topic === undefined ? { success: false, error: err } : { success: false, topic, error: err };
    deps.log.error('unexpected error in produce pipeline', { request_id: ctx.requestId, err });
    const error = new GatewayError('INTERNAL', undefined, { cause: err });
    return topic === undefined ? { success: false, error } : { success: false, topic, error };
  }

  function submit(rawItems: readonly unknown[], ctx: RequestContext, normaliseItem: Normalise = normalise): Submitted {
    // The same for every item of a request: made once, not per item.
    const metadata = metadataFor(ctx, deps.source);
    const started: Array<ItemOutcome | Promise<ItemOutcome>> = [];
    const immediate: Array<ItemOutcome | undefined> = [];
    const order = deps.registry === undefined ? undefined : {};
    for (const raw of rawItems) {
      const outcome = start(raw, ctx, metadata, order, normaliseItem, rawItems.length);
      started.push(outcome);
      immediate.push(outcome instanceof Promise ? undefined : outcome);
    }
    return { immediate, settled: Promise.all(started) };
  }

  return {
    submit,
    run(rawItems, ctx, normaliseItem = normalise) {
      const metadata = metadataFor(ctx, deps.source);
      const started: Array<ItemOutcome | Promise<ItemOutcome>> = [];
      const order = deps.registry === undefined ? undefined : {};
      for (const raw of rawItems) started.push(start(raw, ctx, metadata, order, normaliseItem, rawItems.length));
      return Promise.all(started);
    },
  };
}

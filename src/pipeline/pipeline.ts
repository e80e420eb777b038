import type { Limits } from '../config/config.js';
import { GatewayError, isGatewayError } from '../errors/gateway-error.js';
import type { Ack, KafkaRecord } from '../kafka/producer.js';
import type { Logger } from '../logging/logger.js';
import { enrich, metadataFor, type Metadata } from './enrich.js';
import { normalise } from './normalise.js';
import { serialise } from './serialise.js';
import type { ItemOutcome, ProduceItem, RequestContext } from './types.js';

/** Throws a GatewayError when the item must not be written. Schema checks plug in here. */
export type Validate = (item: ProduceItem, ctx: RequestContext) => void;

export interface PipelineDeps {
  limits: Limits;
  source: string;
  validate: Validate;
  produce: (record: KafkaRecord) => Promise<Ack>;
  log: Pick<Logger, 'error'>;
}

export interface Pipeline {
  /** Runs items through normalise → validate → enrich → serialise → produce; one outcome per item, in order. */
  run(rawItems: readonly unknown[], ctx: RequestContext): Promise<ItemOutcome[]>;
}

export const acceptAll: Validate = () => {};

/** The one path every entry point takes to Kafka. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  function start(raw: unknown, ctx: RequestContext, metadata: Metadata): Promise<ItemOutcome> {
    let topic: string | undefined;
    try {
      const item = normalise(raw, deps.limits);
      topic = item.topic;
      deps.validate(item, ctx);
      const record = serialise(enrich(item, metadata, ctx.client?.name), ctx.receivedAt);
      // produce() is called synchronously here, item after item, so records with the same key
      // enter librdkafka in request order and keep it (idempotent producer, one partition per key).
      return deps.produce(record).then(
        (ack): ItemOutcome => ({ success: true, topic: record.topic, ...ack, timestamp: metadata.timestamp }),
        (err: unknown) => failure(err, topic, ctx),
      );
    } catch (err) {
      return Promise.resolve(failure(err, topic, ctx));
    }
  }

  function failure(err: unknown, topic: string | undefined, ctx: RequestContext): ItemOutcome {
    if (isGatewayError(err)) return topic === undefined ? { success: false, error: err } : { success: false, topic, error: err };
    deps.log.error('unexpected error in produce pipeline', { request_id: ctx.requestId, err });
    const error = new GatewayError('INTERNAL', undefined, { cause: err });
    return topic === undefined ? { success: false, error } : { success: false, topic, error };
  }

  return {
    run(rawItems, ctx) {
      // The same for every item of a request: made once, not per item.
      const metadata = metadataFor(ctx, deps.source);
      const started: Array<Promise<ItemOutcome>> = [];
      for (const raw of rawItems) started.push(start(raw, ctx, metadata));
      return Promise.all(started);
    },
  };
}

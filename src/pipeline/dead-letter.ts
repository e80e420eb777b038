import type { GatewayError } from '../errors/gateway-error.js';
import type { Ack, KafkaRecord } from '../kafka/producer.js';
import type { Logger } from '../logging/logger.js';
import { RESERVED_HEADER_PREFIX } from './enrich.js';
import { deadLetterEvent } from './trace-events.js';
import type { ProduceItem } from './types.js';
import type { RequestContext } from '../shared/request-context.js';

/** Records a refused message somewhere its producer's team can find and replay it. */
export type DeadLetter = (item: ProduceItem, ctx: RequestContext, reason: GatewayError) => void;

export interface DeadLetterDeps {
  topic: string;
  source: string;
  produce: (record: KafkaRecord) => Promise<Ack>;
  log: Pick<Logger, 'warn'>;
}

/**
 * Writes the refused message, whole, with why it was refused, where it was going and the request
 * it came with (the idea of Wikimedia EventGate's error events). The client's answer does not wait
 * for it: the refusal is already decided, and a dead-letter failure is logged, not reported.
 * It goes straight to the producer, never through the pipeline, so it cannot be refused in turn.
 */
export function createDeadLetter(deps: DeadLetterDeps): DeadLetter {
  return (item, ctx, reason) => {
    const receivedAt = ctx.receivedAt.toISOString();
    const body = {
      original_topic: item.topic,
      request_id: ctx.requestId,
      received_at: receivedAt,
      source: deps.source,
      error: reason.toJSON(),
      ...(item.key === undefined ? {} : { key: item.key }),
      ...(item.partition === undefined ? {} : { partition: item.partition }),
      headers: item.headers,
      message: item.message,
    };
    const record: KafkaRecord = {
      topic: deps.topic,
      value: Buffer.from(JSON.stringify(body)),
      headers: [
        { [`${RESERVED_HEADER_PREFIX}request-id`]: ctx.requestId },
        { [`${RESERVED_HEADER_PREFIX}source`]: deps.source },
        { [`${RESERVED_HEADER_PREFIX}timestamp`]: receivedAt },
        { [`${RESERVED_HEADER_PREFIX}original-topic`]: item.topic },
        { [`${RESERVED_HEADER_PREFIX}error-code`]: reason.code },
        // The request's trace continues into the dead-letter record too (src/tracing/).
        ...(ctx.trace?.traceparent === undefined ? [] : [{ traceparent: ctx.trace.traceparent }]),
      ],
      timestampMs: ctx.receivedAt.getTime(),
    };
    if (ctx.trace?.spans !== undefined) deadLetterEvent(ctx.trace.spans, deps.topic, item.topic, reason.code);
    const failed = (err: unknown): void => {
      deps.log.warn('dead-letter write failed', { request_id: ctx.requestId, topic: deps.topic, original_topic: item.topic, err });
    };
    try {
      deps.produce(record).catch(failed);
    } catch (err) {
      failed(err); // refused before hand-over (the producer throws those)
    }
  };
}

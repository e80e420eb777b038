import type { GatewayError } from '../errors/gateway-error.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { RequestContext } from '../shared/request-context.js';
import type { Status, StatusEvent } from './status-event.js';
import type { StatusView } from './status-view.js';

export interface StatusWriterDeps {
  topic: string;
  pipeline: Pick<Pipeline, 'run'>;
  view: Pick<StatusView, 'apply'>;
}

export type WriteStatus = (
  requestId: string,
  status: Status,
  ctx: RequestContext,
  detail?: string,
) => Promise<{ ok: true; event: StatusEvent } | { ok: false; error: GatewayError }>;

/**
 * The gateway's own status writer (POST /submit-code's `queued`). It writes through the one
 * pipeline, keyed by request id like any worker's event, and applies the event to this replica's
 * view as soon as the broker acknowledged it: a lookup right after the answer finds it, without
 * waiting for the reader to come round. The reader later sees the same partition and offset and
 * the view drops it as a duplicate. Other replicas learn it from the topic.
 */
export function createStatusWriter(deps: StatusWriterDeps): WriteStatus {
  return async (requestId, status, ctx, detail) => {
    const event: StatusEvent = { request_id: requestId, status, updated_at: new Date().toISOString(), ...(detail ? { detail } : {}) };
    const [outcome] = await deps.pipeline.run([{ topic: deps.topic, key: requestId, message: event }], { ...ctx, internal: true });
    if (!outcome!.success) return { ok: false, error: outcome!.error };
    // Acknowledged without an offset (a retried send the broker already had): the view orders events
    // by offset, so this one is left to the reader, which sees it at its real offset moments later.
    if (outcome!.offset !== null) deps.view.apply(event, { partition: outcome!.partition, offset: outcome!.offset });
    return { ok: true, event };
  };
}

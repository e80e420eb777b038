import type { Request } from 'express';
import { GatewayError } from '../errors/gateway-error.js';
import type { RequestContext } from '../shared/request-context.js';

/** A request-wide pin of the registry schema version (docs/schemas.md). */
const SCHEMA_VERSION_HEADER = 'x-kgate-schema-version';

/** The pipeline's view of an HTTP request: its id, arrival time, (with authentication on) its client, a
 * schema pin, and (when it has one) its W3C trace context, which every record it writes carries (src/tracing/). */
export function contextOf(req: Request): RequestContext {
  const ctx: RequestContext = { requestId: req.requestId, receivedAt: req.receivedAt, ...(req.identity ? { client: req.identity } : {}) };
  const pin = req.headers[SCHEMA_VERSION_HEADER];
  if (pin !== undefined) ctx.schemaVersion = schemaVersionOf(pin);
  if (req.trace !== undefined) ctx.trace = req.trace;
  return ctx;
}

function schemaVersionOf(value: string | string[]): number {
  const text = Array.isArray(value) ? value.join(',') : value;
  if (!/^[1-9][0-9]{0,9}$/.test(text) || Number(text) > 2_147_483_647) {
    throw new GatewayError('INVALID_HEADERS', 'X-Kgate-Schema-Version must be a version number >= 1', { field: 'X-Kgate-Schema-Version' });
  }
  return Number(text);
}

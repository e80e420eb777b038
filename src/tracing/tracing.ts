import type { TracingSettings } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { readTraceParent, traceIdOf } from './trace-context.js';
import type { RequestTrace, Tracing } from './types.js';

export type { ProducerSpan, RequestSpans, RequestTrace, SpanAttributes, Tracing } from './types.js';

/**
 * Tracing off (the default): propagation only. A valid incoming traceparent is copied into the
 * request's records; nothing else happens, no SDK is loaded.
 */
export const propagationOnly: Tracing = {
  enabled: false,
  startRequest(_method, traceparent, tracestate) {
    const incoming = readTraceParent(traceparent, tracestate);
    if (incoming === undefined) return undefined;
    // Every RequestTrace is made with the same four keys in the same order: one object shape for the hot path.
    const trace: RequestTrace = { traceparent: incoming.traceparent, tracestate: incoming.tracestate, traceId: traceIdOf(incoming.traceparent), spans: undefined };
    return trace;
  },
  shutdown: () => Promise.resolve(),
};

/**
 * The gateway's tracing: propagation only when `settings` is undefined, else OpenTelemetry spans
 * exported over OTLP. The SDK is imported only then, so a gateway with tracing off never loads it.
 */
export async function createTracing(settings: TracingSettings | undefined, deps: { version: string; log: Pick<Logger, 'warn' | 'info'> }): Promise<Tracing> {
  if (settings === undefined) return propagationOnly;
  const { createOtelTracing } = await import('./otel-tracing.js');
  const tracing = createOtelTracing(settings, deps);
  deps.log.info('tracing on', { endpoint: settings.tracesUrl, protocol: settings.protocol, sampler: settings.sampler, ratio: settings.samplerRatio, service: settings.serviceName });
  return tracing;
}

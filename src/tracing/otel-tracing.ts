import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TracingSettings } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { sendDiagnosticsTo } from './diag-lines.js';
import { createOtlpWorkerExporter } from './export-transport.js';
import { SpanRecorder } from './recorded-span.js';
import { headSamplingFor } from './sampler.js';
import { OtelRequestSpans, remoteParent, UnsampledRequestSpans } from './request-spans.js';
import { readTraceParent, traceIdOf } from './trace-context.js';
import type { RequestTrace, Tracing } from './types.js';

/** A failing collector logs at most one line per this interval (the count of the others is in it). */
const DIAG_LOG_INTERVAL_MS = 10_000;


/**
 * Spans exported over OTLP/HTTP, configured only from the typed settings (src/config/otel-env.ts):
 * the provider, sampler, resource, processor and exporter all get their values explicitly. The
 * exporter is batched and bounded: at most maxQueueSize spans wait, more are dropped; a collector
 * that is down costs that much memory and a failed request per batch, never a produce.
 */
export function createOtelTracing(settings: TracingSettings, deps: { version: string; log: Pick<Logger, 'warn'> }): Tracing {
  const report = routeDiagnostics(deps.log);
  const sampling = headSamplingFor(settings.sampler, settings.samplerRatio);
  // The SDK's OTLP/HTTP exporter, its HTTP client in a worker thread (export-transport.ts says why).
  const exporter = createOtlpWorkerExporter({ url: settings.tracesUrl, protocol: settings.protocol, timeoutMs: settings.exportTimeoutMs }, report);
  const processor = new BatchSpanProcessor({
    exporter,
    maxQueueSize: settings.batch.maxQueueSize,
    maxExportBatchSize: settings.batch.maxExportBatchSize,
    scheduledDelayMillis: settings.batch.scheduledDelayMs,
    exportTimeoutMillis: settings.batch.exportTimeoutMs,
  });
  const resource = resourceFromAttributes({ ...settings.resourceAttributes, [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: deps.version });
  // No TracerProvider: kgate's spans are made by hand (recorded-span.ts says why), nothing else needs one.
  const recorder = new SpanRecorder(sampling.sdk, processor, resource, { name: 'kgate', version: deps.version });
  const unsampled = new UnsampledRequestSpans(recorder);
  // An unsampled request that came without a trace context: nothing to write or echo (as with
  // tracing off), only its items' own sampled traces may get producer spans. Shared and never changed;
  // not frozen, so it has the one shape every RequestTrace has (a frozen object's differs).
  const unsampledRoot: RequestTrace = { traceparent: undefined, tracestate: undefined, traceId: undefined, spans: unsampled };

  return {
    enabled: true,
    startRequest(method, traceparent, tracestate, requestId) {
      const incoming = readTraceParent(traceparent, tracestate);
      // The head decision comes first: an unsampled request starts no span (issue 23's cost bound).
      if (!sampling.samples(incoming)) {
        if (incoming === undefined) return unsampledRoot;
        const copied: RequestTrace = { traceparent: incoming.traceparent, tracestate: incoming.tracestate, traceId: traceIdOf(incoming.traceparent), spans: unsampled };
        return copied;
      }
      const parent = incoming === undefined ? undefined : remoteParent(incoming.traceparent, incoming.tracestate);
      const span = new OtelRequestSpans(recorder, method, requestId, parent);
      const trace: RequestTrace = { traceparent: span.traceparent, tracestate: span.tracestate, traceId: span.traceId, spans: span };
      return trace;
    },
    async shutdown(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([processor.shutdown(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      } catch {
        // An export that fails at shutdown is already reported through diag.
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * The SDK reports export failures through its diag logger: to ours, at warn, rate-limited. The
 * export worker's diagnostics come through the returned function, under the same limit.
 */
function routeDiagnostics(log: Pick<Logger, 'warn'>): (line: string) => void {
  let last = 0;
  let suppressed = 0;
  const report = (line: string): void => {
    const now = Date.now();
    if (now - last < DIAG_LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    last = now;
    log.warn('tracing: span export problem', { detail: line, suppressed_since_last: suppressed });
    suppressed = 0;
  };
  sendDiagnosticsTo(report);
  return report;
}

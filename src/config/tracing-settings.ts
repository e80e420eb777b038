import { ConfigError } from './config-error.js';
import type { Env } from './schema.js';
import type { SAMPLERS } from './otel-env.js';

/** Spans and their export (src/tracing/); undefined when tracing is off. Propagation needs no setting. */
export interface TracingSettings {
  serviceName: string;
  /** Where spans go: OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  protocol: 'http/protobuf' | 'http/json';
  exportTimeoutMs: number;
  sampler: (typeof SAMPLERS)[number];
  /** The ratio of the *traceidratio samplers. */
  samplerRatio: number;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded. */
  resourceAttributes: Record<string, string>;
  batch: { scheduledDelayMs: number; exportTimeoutMs: number; maxQueueSize: number; maxExportBatchSize: number };
}

/** The OTLP/HTTP default of the specification (a collector or Jaeger on this host). */
const DEFAULT_ENDPOINT = 'http://localhost:4318';

/**
 * What turns spans on, explicitly: OTEL_TRACES_EXPORTER=otlp, or an OTEL_EXPORTER_OTLP_ENDPOINT with
 * OTEL_TRACES_EXPORTER unset. OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none keep them off.
 * Unlike the SDK's own default ("otlp"), nothing set means off: a gateway does not start sending
 * spans to localhost because a variable is missing.
 */
export function tracingSettings(e: Env, serviceDefault: string): TracingSettings | undefined {
  if (e.OTEL_SDK_DISABLED || e.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (e.OTEL_TRACES_EXPORTER === undefined && e.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return undefined;
  const problems: string[] = [];
  // The specification's default ratio; the argument is ignored by the other samplers.
  const ratio = e.OTEL_TRACES_SAMPLER_ARG ?? 1;
  if (e.OTEL_BSP_MAX_EXPORT_BATCH_SIZE > e.OTEL_BSP_MAX_QUEUE_SIZE) {
    problems.push('OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must be at most OTEL_BSP_MAX_QUEUE_SIZE');
  }
  const resourceAttributes = parseResourceAttributes(e.OTEL_RESOURCE_ATTRIBUTES, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const endpoint = e.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_ENDPOINT;
  return {
    serviceName: e.OTEL_SERVICE_NAME ?? resourceAttributes['service.name'] ?? serviceDefault,
    tracesUrl: `${endpoint.replace(/\/+$/, '')}/v1/traces`,
    protocol: e.OTEL_EXPORTER_OTLP_PROTOCOL as TracingSettings['protocol'],
    exportTimeoutMs: e.OTEL_EXPORTER_OTLP_TIMEOUT,
    sampler: e.OTEL_TRACES_SAMPLER,
    samplerRatio: ratio,
    resourceAttributes,
    batch: {
      scheduledDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMs: e.OTEL_BSP_EXPORT_TIMEOUT,
      maxQueueSize: e.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: e.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    },
  };
}

/** `key1=value1,key2=value2`, values percent-encoded (the OpenTelemetry resource SDK's format). */
function parseResourceAttributes(raw: string | undefined, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const key = at < 0 ? '' : pair.slice(0, at).trim();
    if (key === '' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
      problems.push(`OTEL_RESOURCE_ATTRIBUTES: expected key=value[,key=value...] (got ${JSON.stringify(pair.trim())})`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      problems.push(`OTEL_RESOURCE_ATTRIBUTES: the value of ${key} is not valid percent-encoding`);
    }
  }
  return out;
}

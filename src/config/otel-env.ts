import { z } from 'zod';

// The standard OpenTelemetry variables kgate honours (docs/configuration.md "Tracing"), read here like
// every other setting and handed to the SDK explicitly (src/tracing/otel-tracing.ts).
// The house's boolean words (src/config/schema.ts), so the chart's values schema takes YAML booleans too.
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

export const otelEnv = {
  OTEL_SDK_DISABLED: bool.default(false),
  // Spans are off unless this is "otlp" (or unset with an endpoint set); "none" keeps them off.
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'kgate exports traces with "otlp" only (or "none")' }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(255).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://collector:4318' }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(['http/protobuf', 'http/json', 'grpc'])
    .refine((p) => p !== 'grpc', 'grpc is not supported by kgate; use http/protobuf (port 4318) or http/json')
    .default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TIMEOUT: int(1, 600_000).default(10_000),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  // The batch span processor: spans wait at most this long, at most this many are queued (then dropped).
  OTEL_BSP_SCHEDULE_DELAY: int(1, 600_000).default(5_000),
  OTEL_BSP_EXPORT_TIMEOUT: int(1, 600_000).default(30_000),
  OTEL_BSP_MAX_QUEUE_SIZE: int(1, 1_000_000).default(2048),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: int(1, 1_000_000).default(512),
};

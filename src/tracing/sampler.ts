import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, SamplingDecision, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { TracingSettings } from '../config/config.js';
import { sampledFlagOf, traceIdOf, type TraceParent } from './trace-context.js';

/**
 * OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as the specification defines them, in two parts:
 * - `samples(incoming)`: kgate's head decision for a request, taken before any SDK object exists,
 *   so that an unsampled request costs what tracing off costs (issue 23's 5 % bound at 0.1);
 * - `sdk`: the SDK sampler that kgate's span recorder (recorded-span.ts) asks for every span it starts
 *   without a local parent. A root span is started only after `samples` said yes, so its root rule is
 *   always-on (a second ratio test on the fresh trace id would sample ratio² of the roots); a remote
 *   parent (the request's traceparent, or an item's own) gets the configured rule, so the sampler
 *   agrees with `samples` and decides items alone.
 */
export interface HeadSampling {
  samples(incoming: TraceParent | undefined): boolean;
  readonly sdk: Sampler;
}

export function headSamplingFor(name: TracingSettings['sampler'], ratio: number): HeadSampling {
  const on = new AlwaysOnSampler();
  const off = new AlwaysOffSampler();
  const byTraceId = new TraceIdRatioBasedSampler(ratio);
  // The ratio test on a remote trace id, as the SDK makes it (the same trace id decides the same way everywhere).
  const ratioTest = (incoming: TraceParent): boolean => byTraceId.shouldSample(ROOT_CONTEXT, traceIdOf(incoming.traceparent)).decision === SamplingDecision.RECORD_AND_SAMPLED;
  const parentSampled = (incoming: TraceParent): boolean => sampledFlagOf(incoming.traceparent) === 1;
  // A root's trace id is random: a uniform draw against the ratio is the same test, without making the id.
  const rootByRatio = (): boolean => Math.random() < ratio;
  switch (name) {
    case 'always_on':
      return { samples: () => true, sdk: on };
    case 'always_off':
      return { samples: () => false, sdk: off };
    case 'traceidratio':
      return {
        samples: (incoming) => (incoming === undefined ? rootByRatio() : ratioTest(incoming)),
        sdk: new ParentBasedSampler({ root: on, remoteParentSampled: byTraceId, remoteParentNotSampled: byTraceId }),
      };
    case 'parentbased_always_on':
      return { samples: (incoming) => incoming === undefined || parentSampled(incoming), sdk: new ParentBasedSampler({ root: on }) };
    case 'parentbased_always_off':
      return { samples: (incoming) => incoming !== undefined && parentSampled(incoming), sdk: new ParentBasedSampler({ root: on }) };
    case 'parentbased_traceidratio':
      return { samples: (incoming) => (incoming === undefined ? rootByRatio() : parentSampled(incoming)), sdk: new ParentBasedSampler({ root: on }) };
  }
}

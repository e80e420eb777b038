import { expect } from 'chai';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { headSamplingFor } from '../../../src/tracing/sampler.js';
import { readTraceParent } from '../../../src/tracing/trace-context.js';

const sampled = readTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', undefined)!;
const unsampled = readTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', undefined)!;
const share = (samples: () => boolean, n = 20_000) => {
  let yes = 0;
  for (let i = 0; i < n; i++) if (samples()) yes++;
  return yes / n;
};

// The head decision is taken before the SDK is touched (an unsampled request must cost what tracing
// off costs); the SDK's sampler must then agree with it, or spans would go missing or double-sample.
describe('head sampling (src/tracing/sampler.ts): OTEL_TRACES_SAMPLER decided before any span exists', () => {
  it('parentbased_traceidratio: roots at the ratio, a caller\'s sampled flag obeyed either way', () => {
    const s = headSamplingFor('parentbased_traceidratio', 0.1);
    const rootShare = share(() => s.samples(undefined));
    expect(rootShare).to.be.within(0.08, 0.12);
    expect(s.samples(sampled)).to.equal(true);
    expect(s.samples(unsampled)).to.equal(false);
    expect(headSamplingFor('parentbased_traceidratio', 0).samples(undefined)).to.equal(false);
    expect(headSamplingFor('parentbased_traceidratio', 1).samples(undefined)).to.equal(true);
  });

  it('the SDK side samples every root kgate starts (no second ratio test), and follows a remote parent', () => {
    const { sdk } = headSamplingFor('parentbased_traceidratio', 0.0001);
    expect(sdk.shouldSample(ROOT_CONTEXT, 'f'.repeat(32), 'POST', SpanKind.SERVER, {}, []).decision).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    const remote = (flags: number) => trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: flags, isRemote: true });
    expect(sdk.shouldSample(remote(TraceFlags.SAMPLED), 'a'.repeat(32), 'send', SpanKind.PRODUCER, {}, []).decision).to.equal(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sdk.shouldSample(remote(TraceFlags.NONE), 'a'.repeat(32), 'send', SpanKind.PRODUCER, {}, []).decision).to.equal(SamplingDecision.NOT_RECORD);
  });

  it('traceidratio: a caller\'s trace id decides, the same way as the SDK decides it', () => {
    const s = headSamplingFor('traceidratio', 0.5);
    // Trace ids whose 32-bit XOR of words is small (sampled at 0.5) and large (not).
    const low = readTraceParent(`00-${'0'.repeat(31)}1-00f067aa0ba902b7-00`, undefined)!;
    const high = readTraceParent(`00-${'f'.repeat(8)}${'0'.repeat(24)}-00f067aa0ba902b7-01`, undefined)!;
    expect(s.samples(low), 'a low trace id, even with an unsampled caller').to.equal(true);
    expect(s.samples(high), 'a high trace id, even with a sampled caller').to.equal(false);
    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'f'.repeat(8) + '0'.repeat(24), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(s.sdk.shouldSample(remote, 'f'.repeat(8) + '0'.repeat(24), 'send', SpanKind.PRODUCER, {}, []).decision).to.equal(SamplingDecision.NOT_RECORD);
    expect(share(() => s.samples(undefined))).to.be.within(0.47, 0.53);
  });

  it('always_on, always_off, parentbased_always_on, parentbased_always_off', () => {
    expect([undefined, sampled, unsampled].map((i) => headSamplingFor('always_on', 0).samples(i))).to.deep.equal([true, true, true]);
    expect([undefined, sampled, unsampled].map((i) => headSamplingFor('always_off', 1).samples(i))).to.deep.equal([false, false, false]);
    expect([undefined, sampled, unsampled].map((i) => headSamplingFor('parentbased_always_on', 0).samples(i))).to.deep.equal([true, true, false]);
    expect([undefined, sampled, unsampled].map((i) => headSamplingFor('parentbased_always_off', 1).samples(i))).to.deep.equal([false, true, false]);
  });
});

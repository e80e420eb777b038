import { ROOT_CONTEXT, SamplingDecision, SpanStatusCode, trace, TraceFlags, type Attributes, type HrTime, type Link, type SpanContext, type SpanKind, type SpanStatus, type TraceState } from '@opentelemetry/api';
import { millisToHrTime, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { RandomIdGenerator, type ReadableSpan, type Sampler, type SpanProcessor, type TimedEvent } from '@opentelemetry/sdk-trace';
import type { SpanAttributes } from './types.js';

/** The SDK's default event limit (kgate does not read OTEL_SPAN_EVENT_COUNT_LIMIT): a request refusing 1 000 items keeps the last 128 events. */
const EVENT_COUNT_LIMIT = 128;

/**
 * Makes kgate's spans and hands the ended ones to the SDK's span processor (its batch processor and
 * OTLP exporter), in place of the SDK's Tracer and Span. Why: the SDK's span is general (a context
 * per parent, attribute sanitising and limits, self-metrics, time re-anchored per span), and making
 * and ending its two spans was about half of a sampled request's tracing work in a CPU profile of
 * the gateway. kgate's spans are few and their attributes known, so a plain ReadableSpan does: at a
 * sampling ratio of 1.0 a request costs 1.21× the CPU of tracing off instead of 1.32× (paired, one
 * run; docs/benchmarks.md, "Tracing cost: where it goes"). What the SDK decides stays the SDK's: its
 * sampler for every span without a local parent, its id generator, its processor and serialiser.
 */
export class SpanRecorder {
  private readonly ids = new RandomIdGenerator();

  constructor(
    private readonly sampler: Sampler,
    private readonly processor: SpanProcessor,
    /** What every span of this recorder reports as its resource and instrumentation scope. */
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
  ) {}

  /**
   * A span under `parent`: a span of kgate's (local, recorded: sampled as it is), a caller's remote
   * span context, or none (a root). Without a local parent the sampler decides, as the SDK's Tracer
   * lets it; a span it drops is still returned (not recording) so its context can be propagated.
   */
  start(name: string, kind: SpanKind, attributes: SpanAttributes, parent: RecordedSpan | SpanContext | undefined, links: Link[] | undefined): RecordedSpan {
    const spanId = this.ids.generateSpanId();
    if (parent instanceof RecordedSpan) {
      const p = parent.spanContext();
      // The SDK's parent-based rule for a local parent: sampled as the parent is.
      return new RecordedSpan(this, name, kind, attributes, withState({ traceId: p.traceId, spanId, traceFlags: p.traceFlags }, p.traceState), p, links, (p.traceFlags & TraceFlags.SAMPLED) !== 0);
    }
    const traceId = parent?.traceId ?? this.ids.generateTraceId();
    const context = parent === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, parent);
    const decision = this.sampler.shouldSample(context, traceId, name, kind, attributes, links ?? []);
    const traceFlags = decision.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
    const sc = withState({ traceId, spanId, traceFlags }, decision.traceState ?? parent?.traceState);
    return new RecordedSpan(this, name, kind, attributes, sc, parent, links, decision.decision !== SamplingDecision.NOT_RECORD);
  }

  /** An ended, recorded span: to the processor (the batch processor exports it if sampled). */
  ended(span: RecordedSpan): void {
    this.processor.onEnd(span);
  }
}

function withState(sc: SpanContext, traceState: TraceState | undefined): SpanContext {
  if (traceState !== undefined) sc.traceState = traceState;
  return sc;
}

/**
 * One span as the exporter reads it (the SDK's ReadableSpan), with the few changes kgate makes to
 * it. Timed as the SDK times a span: it starts at the wall clock (Date.now()) and its end and events
 * are that plus the monotonic time since; kept as numbers and made HrTime when the exporter asks.
 */
export class RecordedSpan implements ReadableSpan {
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[] = [];
  readonly parentSpanContext?: SpanContext;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  droppedEventsCount = 0;
  readonly droppedAttributesCount = 0;
  readonly droppedLinksCount = 0;
  private readonly startWallMs = Date.now();
  private readonly startMs = performance.now();
  private endMs = -1;

  constructor(
    private readonly recorder: SpanRecorder,
    public name: string,
    readonly kind: SpanKind,
    attributes: SpanAttributes,
    private readonly context: SpanContext,
    parent: SpanContext | undefined,
    links: Link[] | undefined,
    /** False when the sampler dropped it: then nothing is kept and nothing exported. */
    readonly recording: boolean,
  ) {
    this.attributes = attributes;
    if (parent !== undefined) this.parentSpanContext = parent;
    this.links = links ?? [];
  }

  spanContext(): SpanContext {
    return this.context;
  }

  get ended(): boolean {
    return this.endMs >= 0;
  }

  get startTime(): HrTime {
    return millisToHrTime(this.startWallMs);
  }

  get endTime(): HrTime {
    return this.ended ? this.timeAt(this.endMs) : [0, 0];
  }

  get duration(): HrTime {
    return this.ended ? millisToHrTime(this.endMs - this.startMs) : [-1, -1];
  }

  private timeAt(monotonicMs: number): HrTime {
    return millisToHrTime(this.startWallMs + (monotonicMs - this.startMs));
  }

  get resource(): Resource {
    return this.recorder.resource;
  }

  get instrumentationScope(): InstrumentationScope {
    return this.recorder.instrumentationScope;
  }

  setAttribute(key: string, value: string | number | boolean): void {
    if (this.recording && !this.ended) this.attributes[key] = value;
  }

  updateName(name: string): void {
    if (this.recording && !this.ended) this.name = name;
  }

  setStatus(status: SpanStatus): void {
    if (this.recording && !this.ended) this.status = status;
  }

  addEvent(name: string, attributes: SpanAttributes): void {
    if (!this.recording || this.ended) return;
    if (this.events.length >= EVENT_COUNT_LIMIT) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    this.events.push({ name, attributes: { ...attributes }, time: this.timeAt(performance.now()), droppedAttributesCount: 0 });
  }

  end(): void {
    if (this.ended) return;
    this.endMs = performance.now();
    if (this.recording) this.recorder.ended(this);
  }
}

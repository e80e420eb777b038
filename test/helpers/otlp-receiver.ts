import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './env.js';
import { freePort } from './free-port.js';

/** A span as Jaeger's query API (/api/traces/{id}) returns it. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  tags: Array<{ key: string; type: string; value: unknown }>;
  logs: Array<{ timestamp: number; fields: Array<{ key: string; type: string; value: unknown }> }>;
  processID: string;
}

/** A tag's value, or undefined. */
export function tag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}

/** The parent span id (CHILD_OF reference), or undefined for a root span. */
export function parentOf(span: JaegerSpan): string | undefined {
  return span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
}

/** Events (Jaeger "logs") as name → fields. */
export function eventsOf(span: JaegerSpan): Array<Record<string, unknown>> {
  return span.logs.map((l) => Object.fromEntries(l.fields.map((f) => [f.key, f.value])));
}

/**
 * A real OTLP receiver: Jaeger v2 built from the Go module proxy by scripts/otel-receiver.sh (cached
 * under ~/.cache/kgate/), started on free ports with in-memory storage; spans are read back through
 * Jaeger's query API. No mock: what the gateway exported is what a Jaeger user would see.
 */
export class OtlpReceiver {
  private child: ChildProcess | undefined;
  private dir: string | undefined;
  private otlpPort = 0;
  private queryPort = 0;
  private output = '';

  /** http://127.0.0.1:<port>: OTEL_EXPORTER_OTLP_ENDPOINT for the gateway. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.otlpPort}`;
  }

  async start(): Promise<void> {
    // Builds on the first run (minutes, said loudly on stderr), then reuses the cached binary.
    const bin = execFileSync('bash', [path.join(ROOT, 'scripts/otel-receiver.sh'), 'build'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      .trim()
      .split('\n')
      .pop()!;
    if (this.otlpPort === 0) {
      this.otlpPort = await freePort();
      this.queryPort = await freePort();
    }
    const grpcPort = await freePort();
    this.dir ??= mkdtempSync(path.join(tmpdir(), 'kgate-jaeger-'));
    const config = path.join(this.dir, 'config.yaml');
    writeFileSync(config, jaegerConfig(this.otlpPort, this.queryPort, grpcPort));
    this.output = '';
    const child = spawn(bin, ['--config', `file:${config}`], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-8000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Jaeger exited with ${child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.queryPort}/api/services`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`Jaeger did not answer on its query port within 60 s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Stops it (SIGTERM, then SIGKILL after 10 s); start() brings it back on the same OTLP port. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every span Jaeger holds for a trace (empty when it has none yet). */
  async spans(traceId: string): Promise<JaegerSpan[]> {
    const res = await fetch(`http://127.0.0.1:${this.queryPort}/api/traces/${traceId}`);
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`Jaeger query answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { data: Array<{ spans: JaegerSpan[] }> | null };
    return (body.data ?? []).flatMap((t) => t.spans);
  }

  /** The processes (service name and resource attributes) of a trace's spans. */
  async processes(traceId: string): Promise<Array<{ serviceName: string; tags: Array<{ key: string; value: unknown }> }>> {
    const res = await fetch(`http://127.0.0.1:${this.queryPort}/api/traces/${traceId}`);
    const body = (await res.json()) as { data: Array<{ processes: Record<string, { serviceName: string; tags: Array<{ key: string; value: unknown }> }> }> | null };
    return (body.data ?? []).flatMap((t) => Object.values(t.processes));
  }

  /** Polls until the trace holds `count` spans (export is batched), or fails after `timeoutMs`. */
  async waitForSpans(traceId: string, count: number, timeoutMs = 20_000): Promise<JaegerSpan[]> {
    const deadline = Date.now() + timeoutMs;
    let spans: JaegerSpan[] = [];
    while (Date.now() < deadline) {
      spans = await this.spans(traceId);
      if (spans.length >= count) return spans;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`trace ${traceId}: ${spans.length} spans in Jaeger after ${timeoutMs} ms, expected ${count}: ${spans.map((s) => s.operationName).join(', ')}`);
  }
}

/** Jaeger v2's own configuration: OTLP/HTTP in, memory storage, the query API; nothing else listens. */
function jaegerConfig(otlpPort: number, queryPort: number, grpcPort: number): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
    # Jaeger's own spans would go to localhost:4317 otherwise.
    traces:
      level: none
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${queryPort}
    grpc:
      endpoint: 127.0.0.1:${grpcPort}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlpPort}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

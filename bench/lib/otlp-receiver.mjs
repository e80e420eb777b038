// A real OTLP receiver for the traced scenarios: the Jaeger v2 that scripts/otel-receiver.sh builds (and
// caches), on free ports, memory storage. Started only when a traced scenario runs.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './servers.mjs';

export async function startOtlpReceiver(root) {
  const bin = execFileSync('bash', [path.join(root, 'scripts/otel-receiver.sh'), 'build'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
  const [otlp, query, grpc] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kgate-bench-jaeger-'));
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [jaeger_storage_exporter] }
  telemetry: { metrics: { level: none }, logs: { level: warn }, traces: { level: none } }
extensions:
  jaeger_query: { storage: { traces: memstore }, http: { endpoint: "127.0.0.1:${query}" }, grpc: { endpoint: "127.0.0.1:${grpc}" } }
  jaeger_storage: { backends: { memstore: { memory: { max_traces: 20000 } } } }
receivers:
  otlp: { protocols: { http: { endpoint: "127.0.0.1:${otlp}" } } }
processors:
  batch: {}
exporters:
  jaeger_storage_exporter: { trace_storage: memstore }
`,
  );
  const child = spawn(bin, ['--config', `file:${path.join(dir, 'config.yaml')}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`Jaeger exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${query}/api/services`)).ok) break;
    } catch {
      // not yet
    }
    if (i > 300) throw new Error('Jaeger did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint: `http://127.0.0.1:${otlp}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

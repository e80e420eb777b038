// The produce-path benchmark (issue 15): in ONE run, alternating, each server a fresh process:
//   raw node:http, the bare Express 5 ceiling (express.json + res.json), the bare-bones
//   gateway (without and with kgate's metadata headers), kgate POST /produce with
//   production defaults (access log on, written to a real file; metrics on; a topic with a
//   registered schema), /produce/batch 1 000 × 1 KiB at 4 connections, the NDJSON stream, and kcat
//   (kcat -P -X acks=all) and node-rdkafka alone against the same broker, which the bench starts
//   on free ports.
// Per scenario: req/s or msgs/s, p50/p99, server CPU per 2xx answer (utime+stime from /proc, all
// threads), peak RSS (VmHWM); then min–median–max over the rounds and the ratios. Each JSON line also
// has the CPU per answer by thread name and `kernel`: system CPU µs, minor page faults and context
// switches per answer (to tell user-space work from the kernel's).
//
//   batch-avro / batch-jsonschema: the same batch to a topic whose values are encoded with a registry
//   schema (TOPIC_VALUE_FORMATS; Apicurio 3.0.9 started by the bench, scripts/schema-registry.sh).
// Usage: npm run bench [-- --rounds 3 --seconds 10 --connections 64]
//        npm run bench -- --only batch,batch-avro,batch-jsonschema   Avro and JSON Schema against plain JSON
//        npm run bench -- --quick                    one short round, for iteration
//        npm run bench -- --soak 300                 /produce for 300 s, RSS sampled every 10 s
//        npm run bench -- --ndjson-bytes 1073741824  one NDJSON stream of 1 GiB, RSS sampled
//        add --cpu-prof to write V8 CPU profiles of every kgate process to bench/profiles/
//        add --rate 1000 to offer a fixed load (req/s) to the single-request scenarios
//        npm run bench -- --only produce,ce-binary,ce-structured,rest-v2,rest-v3   the HTTP dialects next to /produce
//                                                    (opt-in: a run without --only leaves them out)
//        add --paired (with --rate) to load each single-request scenario at the same time as a fresh
//        /produce server, both at --rate: the paired ratio of CPU per request then shares the machine's moment
//        (broker, Jaeger, the other process), e.g. npm run bench -- --paired --rate 1500 --rounds 10 --only produce,produce-traced-0.1
//        --variant aa: (no settings) adds /produce itself again: with --paired, an A/A control row
//        --variant name:DIST=dir,KEY=VALUE runs another build (e.g. dist/ of an earlier commit copied to dist-old) beside this one
//        add --warm 20 for a longer unmeasured warm-up (default 3 s), e.g. to keep start-up work out of the window
//        add --keep-broker to leave the bench broker (.kafka/bench) running for the next run
//        tracing (issue 23): produce-traceparent (a traceparent on every request, tracing off), produce-traced-0,
//        -0.1 and -1.0 (spans on, parentbased_traceidratio, exported to a real Jaeger the bench starts),
//        e.g. npm run bench -- --only produce,produce-traceparent,produce-traced-0,produce-traced-0.1,produce-traced-1.0
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMicros, cpuMicrosByThread, kernelCounters, peakRssMiB } from './lib/proc.mjs';
import { streamNdjson } from './lib/ndjson-client.mjs';
import { freePort, startServer, stopServer } from './lib/servers.mjs';
import { printPaired, printTable } from './lib/report.mjs';
import { deleteTopics } from './lib/delete-topics.mjs';
import { ndjsonBig, soak } from './lib/long-runs.mjs';
import { startOtlpReceiver } from './lib/otlp-receiver.mjs';
import { startBenchRegistry } from './lib/registry.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '64' },
    only: { type: 'string' },
    soak: { type: 'string' },
    'ndjson-bytes': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'keep-broker': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    variant: { type: 'string', multiple: true, default: [] },
    rate: { type: 'string' },
    paired: { type: 'boolean', default: false },
    warm: { type: 'string' },
  },
});
if (opt.paired && !opt.rate) throw new Error('--paired needs --rate: both servers of a pair are offered the same fixed load');
const rounds = Number(opt.rounds ?? (opt.quick ? 1 : 3));
const seconds = Number(opt.seconds ?? (opt.quick ? 4 : 10));
const warmSeconds = Number(opt.warm ?? (opt.quick ? 1 : 3));
const connections = Number(opt.connections);
const kcatMessages = opt.quick ? 50_000 : 200_000;
const ndjsonLines = opt.quick ? 50_000 : 200_000;
const only = opt.only ? new Set([...opt.only.split(','), ...opt.variant.map((v) => `produce-${v.split(':')[0]}`), ...(opt.baseline ? ['produce-base'] : [])]) : undefined;
const wanted = (name, optIn = false) => (only ? only.has(name) : !optIn);

// The gateway runs with the Node flags of `npm start`, so the bench measures what production runs.
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const startArgs = pkg.scripts.start.split(/\s+/);
const nodeFlags = startArgs.slice(1, startArgs.indexOf('dist/src/main.js'));

// ---- the broker: a single node of its own, on free ports ----
const brokerHome = path.join(root, '.kafka', 'bench');
mkdirSync(brokerHome, { recursive: true });
const portsFile = path.join(brokerHome, 'ports.json');
const ports = existsSync(portsFile) ? JSON.parse(readFileSync(portsFile, 'utf8')) : { broker: await freePort(), controller: await freePort() };
writeFileSync(portsFile, JSON.stringify(ports));
const brokerEnv = {
  ...process.env,
  KAFKA_HOME_DIR: brokerHome,
  KAFKA_LIBS_DIR: path.join(root, '.kafka', 'libs'),
  KAFKA_PORT: String(ports.broker),
  KAFKA_CONTROLLER_PORT: String(ports.controller),
};
// A full run writes ~6 GB of records: a broker that is not running starts from empty storage, and the
// run's topics are deleted at the end (all of the storage when the broker is stopped).
const brokerDataDir = path.join(brokerHome, 'data');
const pidFile = path.join(brokerHome, 'kafka.pid');
const brokerRunning = () => {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
};
if (!brokerRunning()) rmSync(brokerDataDir, { recursive: true, force: true });
execFileSync('bash', [path.join(root, 'scripts/kafka.sh'), 'start'], { stdio: ['ignore', 'ignore', 'inherit'], env: brokerEnv });
const bootstrap = `127.0.0.1:${ports.broker}`;
const brokerPid = Number(readFileSync(path.join(brokerHome, 'kafka.pid'), 'utf8'));

// ---- the workload: a ~1 KiB JSON record for a topic with a registered schema ----
const runId = Date.now();
const topic = `bench-${runId}`;
const record = { user_id: 123, action: 'login', data: 'x'.repeat(900) };
const schemaDir = mkdtempSync(path.join(os.tmpdir(), 'kgate-bench-schemas-'));
mkdirSync(path.join(schemaDir, topic));
writeFileSync(
  path.join(schemaDir, topic, '1.0.0.json'),
  JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `/${topic}/1.0.0`,
    type: 'object',
    required: ['user_id', 'action'],
    properties: { user_id: { type: 'integer' }, action: { type: 'string', maxLength: 64 }, data: { type: 'string' }, seq: { type: 'integer' } },
  }),
);
const outDir = path.join(root, 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const profDir = path.join(root, 'bench', 'profiles');

// ---- servers (bench/lib/servers.mjs) ----
const serverOptions = (env, dist) => ({
  root, nodeFlags, bootstrap, schemaDir, env, dist,
  logFile: path.join(outDir, `access-${runId}.log`),
  profArgs: opt['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
});

function load(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

const singleBody = JSON.stringify({ topic, key: 'user-123', message: record });
const echoBody = JSON.stringify({ topic, key: 'user-123', message: record });
// The HTTP dialects (docs/dialects.md), the same record: CPU per request next to /produce (--only produce,ce-binary,...).
const ceHeaders = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': '[<id>]', 'ce-source': '/bench', 'ce-type': 'bench.login', 'ce-partitionkey': 'user-123' };
const ceStructuredBody = JSON.stringify({ specversion: '1.0', id: '[<id>]', source: '/bench', type: 'bench.login', partitionkey: 'user-123', data: record });
const restV2Body = JSON.stringify({ records: [{ key: 'user-123', value: record }] });
const restV3Body = JSON.stringify({ key: { type: 'STRING', data: 'user-123' }, value: { type: 'JSON', data: record } });
const batchItems = 1000;
const batchBody = JSON.stringify(Array.from({ length: batchItems }, (_, i) => ({ topic, key: `k${i % 16}`, message: record })));
// The same record through a registry schema: Avro and JSON Schema subjects of their own topics.
const avroTopic = `${topic}-avro`;
const jsonSchemaTopic = `${topic}-jsonschema`;
const batchBodyFor = (t) => JSON.stringify(Array.from({ length: batchItems }, (_, i) => ({ topic: t, key: `k${i % 16}`, message: record })));
const registryWanted = wanted('batch-avro') || wanted('batch-jsonschema');
const registry = registryWanted && !opt.soak && !opt['ndjson-bytes'] ? await startBenchRegistry(root) : undefined;
if (registry) {
  await registry.register(`${avroTopic}-value`, {
    type: 'record',
    name: 'Event',
    fields: [
      { name: 'user_id', type: 'long' },
      { name: 'action', type: 'string' },
      { name: 'data', type: ['null', 'string'], default: null },
    ],
  });
  await registry.register(`${jsonSchemaTopic}-value`, {
    type: 'object',
    required: ['user_id', 'action'],
    properties: { user_id: { type: 'integer' }, action: { type: 'string', maxLength: 64 }, data: { type: 'string' }, seq: { type: 'integer' } },
  }, 'JSON');
}
const registryEnv = registry ? { SCHEMA_REGISTRY_URL: registry.url, TOPIC_VALUE_FORMATS: `${avroTopic}=avro,${jsonSchemaTopic}=jsonschema` } : {};

/** The cluster id the gateway reports (REST Proxy v3's path names it). */
async function clusterIdOf(server) {
  const { data } = await (await fetch(`${server.url}/v3/clusters`)).json();
  return data[0]?.cluster_id ?? 'unknown';
}

/** Warm-up, then a measured window; CPU and answers counted over the window only. */
const ID_PLACEHOLDER = '[<id>]';
async function measureHttp(server, { path: p, body, conns, items = 1, headers = { 'content-type': 'application/json' }, idReplacement = false }) {
  // --rate R: a fixed offered load (req/s) instead of as fast as possible, so CPU per request is
  // compared at the same throughput whatever else the machine is doing.
  const rate = opt.rate && items === 1 ? { overallRate: Number(opt.rate) } : {};
  // idReplacement: "[<id>]" in a body or header becomes a fresh id per request (CloudEvents ids must differ, or they are replays).
  // In a body it is replaced by setupRequest: autocannon's own idReplacement keeps the Content-Length of the body
  // with the placeholder, so the server waits for bytes that never come (ce-structured answered nothing).
  const inBody = idReplacement && body.includes(ID_PLACEHOLDER);
  const base = inBody
    ? { url: `${server.url}${p}`, method: 'POST', headers, connections: conns, ...rate, requests: [{ setupRequest: (req) => ({ ...req, body: body.replace(ID_PLACEHOLDER, randomUUID()) }) }] }
    : { url: `${server.url}${p}`, method: 'POST', headers, body, connections: conns, idReplacement, ...rate };
  await load({ ...base, duration: warmSeconds });
  const cpu0 = cpuMicros(server.pid);
  const threads0 = cpuMicrosByThread(server.pid);
  const kernel0 = kernelCounters(server.pid);
  const r = await load({ ...base, duration: seconds });
  const kernel1 = kernelCounters(server.pid);
  const cpu = cpuMicros(server.pid) - cpu0;
  const threads1 = cpuMicrosByThread(server.pid);
  const ok = r['2xx'];
  // Where the CPU went, per answer: main JS thread vs librdkafka's threads vs V8/libuv helpers.
  const by_thread_us = Object.fromEntries(
    Object.entries(threads1).map(([k, v]) => [k, Math.round((v - (threads0[k] ?? 0)) / Math.max(1, ok * items))]).filter(([, v]) => v > 0),
  );
  return {
    rate: Math.round((ok * items) / seconds),
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpu_us: ok ? Math.round(cpu / (ok * items)) : NaN,
    rss: peakRssMiB(server.pid),
    non2xx: r.non2xx + r.errors + r.timeouts,
    by_thread_us,
    // Per answer: system CPU (µs), minor page faults, voluntary and involuntary context switches (all threads).
    kernel: Object.fromEntries(Object.keys(kernel1).map((k) => [k, Math.round((100 * (kernel1[k] - kernel0[k])) / Math.max(1, ok * items)) / 100])),
  };
}

async function measureNdjson(server, lines) {
  await streamNdjson(server.url, { topic, lines: 2000, record }); // warm-up
  const cpu0 = cpuMicros(server.pid);
  const r = await streamNdjson(server.url, { topic, lines, record });
  const cpu = cpuMicros(server.pid) - cpu0;
  return {
    rate: Math.round(r.ok / r.seconds),
    p50: NaN,
    p99: NaN,
    cpu_us: r.ok ? Math.round(cpu / r.ok) : NaN,
    rss: peakRssMiB(server.pid),
    non2xx: r.failed + (r.status === 200 ? 0 : 1),
    seconds: r.seconds,
  };
}

function measureKcat(count) {
  const file = path.join(outDir, `kcat-${count}.ndjson`);
  if (!existsSync(file) || statSync(file).size === 0) {
    const line = `${JSON.stringify(record)}\n`;
    writeFileSync(file, line.repeat(count));
  }
  const t0 = process.hrtime.bigint();
  // -K: no key; -X acks=all and idempotence as the gateway's producer; messages from a file, one per line.
  const r = spawnSync('kcat', ['-P', '-b', bootstrap, '-t', `${topic}-kcat`, '-X', 'acks=all', '-X', 'enable.idempotence=true', '-l', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`kcat failed: ${r.stderr}`);
  return { rate: Math.round(count / secs), p50: NaN, p99: NaN, cpu_us: NaN, rss: NaN, non2xx: 0, seconds: secs };
}

// The bound under /produce/batch: node-rdkafka producing pre-serialised records, with kgate's
// default librdkafka batch settings.
async function measureRdkafka(count) {
  const { loadConfig } = await import(pathToFileURL(path.join(root, 'dist/src/config/config.js')).href);
  const { batchSize } = loadConfig({ KAFKA_BOOTSTRAP_SERVERS: bootstrap }).kafka;
  const r = spawnSync(process.execPath, [path.join(root, 'bench/rdkafka-floor.mjs'), bootstrap, `${topic}-floor`, String(count), String(batchSize)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`rdkafka-floor failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
  return { rate: out.msgs_per_s, p50: NaN, p99: NaN, cpu_us: out.cpu_us_per_msg, rss: NaN, non2xx: out.failed, seconds: out.seconds };
}

// ---- scenarios ----
const scenarios = [
  { name: 'raw', label: 'raw `node:http` (JSON parse + answer)', server: 'raw', run: (s) => measureHttp(s, { path: '/echo', body: echoBody, conns: connections }) },
  { name: 'express', label: 'bare Express 5: `express.json()` + `res.json` (ceiling)', server: 'express', run: (s) => measureHttp(s, { path: '/echo', body: echoBody, conns: connections }) },
  { name: 'express-hello', label: 'strict hello-world: `express.json()` + `res.json({ok:true})` (strict ceiling)', server: 'express', run: (s) => measureHttp(s, { path: '/hello', body: singleBody, conns: connections }) },
  { name: 'bare', label: 'bare-bones gateway (bench/bare-gateway.mjs): express.json + awaited acks=all produce + sync log line', server: 'bare', run: (s) => measureHttp(s, { path: '/produce', body: singleBody, conns: connections }) },
  { name: 'bare-headers', label: 'the same with kgate\'s four metadata record headers', server: 'bare-headers', run: (s) => measureHttp(s, { path: '/produce', body: singleBody, conns: connections }) },
  { name: 'produce', label: 'kgate `POST /produce` 1 KiB, defaults (access log → file, metrics, schema)', server: 'kgate', run: (s) => measureHttp(s, { path: '/produce', body: singleBody, conns: connections }) },
  ...(opt.baseline
    ? [{ name: 'produce-base', label: `baseline build (${opt.baseline}) \`POST /produce\`, same defaults`, server: 'kgate', dist: opt.baseline, run: (s) => measureHttp(s, { path: '/produce', body: singleBody, conns: connections }) }]
    : []),
  // --variant name:KEY=VALUE,KEY=VALUE adds /produce with those settings, e.g. linger:KAFKA_LINGER_MS=5
  ...opt.variant.map((v) => {
    const [name, settings = ''] = v.split(':');
    // DIST=dir among the settings runs that build instead of dist/ (e.g. a copy of dist/ from before a change).
    const { DIST: dist, ...env } = Object.fromEntries(settings.split(',').filter(Boolean).map((kv) => kv.split('=')));
    // A name starting with "batch" measures /produce/batch 1 000 × 1 KiB instead of /produce.
    if (name.startsWith('batch')) {
      return { name: `produce-${name}`, label: `kgate \`POST /produce/batch\` with ${settings} (msgs/s)`, server: 'kgate', env, dist, run: (s) => measureHttp(s, { path: '/produce/batch', body: batchBody, conns: 4, items: batchItems }) };
    }
    // OTEL_TRACES_EXPORTER=otlp in the settings: spans go to the run's Jaeger, as in the traced scenarios.
    // No settings: the same server as /produce, an A/A control (with --paired, the harness's own noise in the same run).
    const label = settings ? `kgate \`POST /produce\` with ${settings}` : 'kgate `POST /produce`, the same settings again (A/A control)';
    return { name: `produce-${name}`, label, server: 'kgate', env, dist, traced: env.OTEL_TRACES_EXPORTER === 'otlp', run: (s) => measureHttp(s, { path: '/produce', body: singleBody, conns: connections }) };
  }),
  // Tracing (issue 23): the propagation cost with tracing off, and spans on at ratio 0 (the fixed cost of
  // tracing on, nothing sampled), 0.1 and 1.0. The traced requests carry no traceparent: the root ratio decides.
  { name: 'produce-traceparent', label: 'kgate `POST /produce` with a `traceparent` on every request (tracing off: copied)', server: 'kgate', run: (s) => measureHttp(s, { path: '/produce', body: singleBody, conns: connections, headers: { 'content-type': 'application/json', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }) },
  ...['0', '0.1', '1.0'].map((ratio) => ({
    name: `produce-traced-${ratio}`,
    label: `kgate \`POST /produce\`, spans on: parentbased_traceidratio ${ratio}, OTLP/HTTP to Jaeger`,
    server: 'kgate',
    traced: true,
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio },
    run: (s) => measureHttp(s, { path: '/produce', body: singleBody, conns: connections }),
  })),
  { name: 'ce-binary', optIn: true, label: 'kgate `POST /cloudevents/{topic}` binary mode, the same record as data', server: 'kgate', run: (s) => measureHttp(s, { path: `/cloudevents/${topic}`, body: JSON.stringify(record), conns: connections, headers: ceHeaders, idReplacement: true }) },
  { name: 'ce-structured', optIn: true, label: 'kgate `POST /cloudevents/{topic}` structured mode (application/cloudevents+json)', server: 'kgate', run: (s) => measureHttp(s, { path: `/cloudevents/${topic}`, body: ceStructuredBody, conns: connections, headers: { 'content-type': 'application/cloudevents+json' }, idReplacement: true }) },
  { name: 'rest-v2', optIn: true, label: 'kgate `POST /topics/{topic}` REST Proxy v2 json, one record', server: 'kgate', run: (s) => measureHttp(s, { path: `/topics/${topic}`, body: restV2Body, conns: connections, headers: { 'content-type': 'application/vnd.kafka.json.v2+json' } }) },
  { name: 'rest-v3', optIn: true, label: 'kgate REST Proxy v3 `POST .../records`, one record', server: 'kgate', run: async (s) => measureHttp(s, { path: `/v3/clusters/${await clusterIdOf(s)}/topics/${topic}/records`, body: restV3Body, conns: connections }) },
  { name: 'batch', label: 'kgate `POST /produce/batch` 1 000 × 1 KiB, 4 connections (msgs/s)', server: 'kgate', run: (s) => measureHttp(s, { path: '/produce/batch', body: batchBody, conns: 4, items: batchItems }) },
  { name: 'batch-avro', label: 'the same batch, values Avro-encoded with a registry schema (Confluent wire format) (msgs/s)', server: 'kgate', env: registryEnv, run: (s) => measureHttp(s, { path: '/produce/batch', body: batchBodyFor(avroTopic), conns: 4, items: batchItems }) },
  { name: 'batch-jsonschema', label: 'the same batch, values checked with a registry JSON Schema (Confluent wire format) (msgs/s)', server: 'kgate', env: registryEnv, run: (s) => measureHttp(s, { path: '/produce/batch', body: batchBodyFor(jsonSchemaTopic), conns: 4, items: batchItems }) },
  { name: 'ndjson', label: `kgate NDJSON stream, ${ndjsonLines.toLocaleString('en')} × 1 KiB lines, 1 connection (msgs/s)`, server: 'kgate', run: (s) => measureNdjson(s, ndjsonLines) },
  { name: 'rdkafka', label: `node-rdkafka alone from JS (bench/rdkafka-floor.mjs), ${kcatMessages.toLocaleString('en')} × 1.3 KiB + 4 headers (msgs/s)`, server: undefined, run: () => measureRdkafka(kcatMessages) },
  { name: 'kcat', label: `kcat -P -X acks=all, ${kcatMessages.toLocaleString('en')} × 1 KiB (msgs/s)`, server: undefined, run: () => measureKcat(kcatMessages) },
];

const machine = `${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load avg ${os.loadavg()[0].toFixed(1)} at start`;
console.error(`bench: broker ${bootstrap} (pid ${brokerPid}), kgate node flags: ${nodeFlags.join(' ') || '(none)'}; ${machine}`);

// One Jaeger for the run, started only when a traced scenario is wanted.
let receiver;
async function serverFor(s) {
  if (s.traced && !receiver) receiver = await startOtlpReceiver(root);
  const env = s.traced ? { ...s.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } : (s.env ?? {});
  return s.server ? await startServer(s.server, serverOptions(env, s.dist)) : undefined;
}

async function runScenario(s) {
  const server = await serverFor(s);
  try {
    return await s.run(server);
  } finally {
    if (server) await stopServer(server);
  }
}

// --paired: one after the other, two fresh processes meet different moments of the machine (what the
// broker, Jaeger and the kernel are doing), and their rounds spread ±10 %; loaded side by side they
// meet the same one, and the paired ratio spreads ±3–5 % (A/A runs, docs/benchmarks.md: 0.94–1.03, 0.96–1.06).
const pairable = (s) => opt.paired && s.name !== 'produce' && s.server === 'kgate' && !s.name.includes('batch') && s.name !== 'ndjson';
async function runPaired(s, round) {
  const base = scenarios.find((x) => x.name === 'produce');
  // Started and named first in alternate rounds, so neither side always has the head start.
  const order = round % 2 ? [base, s] : [s, base];
  const servers = [];
  try {
    for (const x of order) servers.push(await serverFor(x));
    const results = await Promise.all(order.map((x, i) => x.run(servers[i])));
    const [baseResult, result] = round % 2 ? results : [results[1], results[0]];
    return { baseResult, result: { ...result, base_cpu_us: baseResult.cpu_us, paired: Number((result.cpu_us / baseResult.cpu_us).toFixed(3)) } };
  } finally {
    for (const server of servers) if (server) await stopServer(server);
  }
}

try {
  const longRun = { start: (env) => startServer('kgate', serverOptions(env)), stop: stopServer, singleBody, connections, topic, record };
  if (opt.soak) await soak(longRun, Number(opt.soak));
  else if (opt['ndjson-bytes']) await ndjsonBig(longRun, Number(opt['ndjson-bytes']));
  else {
    const results = new Map(scenarios.map((s) => [s.name, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const s of scenarios) {
        if (!wanted(s.name, s.optIn)) continue;
        if (opt.paired && s.name === 'produce') continue; // measured beside each paired scenario instead
        if (pairable(s)) {
          const { baseResult, result } = await runPaired(s, round);
          results.get('produce').push(baseResult);
          results.get(s.name).push(result);
          console.log(JSON.stringify({ round, scenario: 'produce', beside: s.name, ...baseResult }));
          console.log(JSON.stringify({ round, scenario: s.name, ...result }));
          continue;
        }
        const r = await runScenario(s);
        results.get(s.name).push(r);
        console.log(JSON.stringify({ round, scenario: s.name, ...r }));
      }
    }
    printTable({ scenarios, results, rounds, seconds, connections, machine });
    if (opt.paired) printPaired({ scenarios, results });
  }
} finally {
  await receiver?.stop();
  rmSync(schemaDir, { recursive: true, force: true });
  registry?.stop();
  if (opt['keep-broker']) await deleteTopics(bootstrap, [topic, `${topic}-kcat`, `${topic}-floor`, avroTopic, jsonSchemaTopic]);
  else {
    execFileSync('bash', [path.join(root, 'scripts/kafka.sh'), 'stop'], { stdio: 'ignore', env: brokerEnv });
    rmSync(brokerDataDir, { recursive: true, force: true });
  }
}

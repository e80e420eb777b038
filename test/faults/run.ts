// The fault suite (issue 14): steady load with unique ids through two gateway replicas, one fault
// at a time, then every id accounted for against what an independent consumer (kcat) reads back.
// Usage: npm run test:faults [-- --short] [-- --only 2,5] [-- --deadline 5000] [-- --rate 200] [-- --docs]
// Exit code 1 when any check fails. The full run writes its table into docs/reliability.md.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, promisify } from 'node:util';
import { KAFKA_LIBS_DIR, KAFKA_SCRIPT, ROOT } from '../helpers/env.js';
import { KafkaCluster } from '../helpers/kafka-cluster.js';
import { readTopic } from '../helpers/kcat.js';
import { SecondBroker } from '../helpers/second-broker.js';
import { account, type Limits, type Row } from './accounting.js';
import { cpuSeconds, eventLoopLagMaxMs, longestLoggedProduce, startReplica, stopReplica, type Replica } from './gateway-replicas.js';
import { SteadyLoad } from './load.js';
import { notes, table, writeSection } from './report.js';
import { SCENARIOS, type Durations, type Scenario } from './scenarios.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    only: { type: 'string' },
    deadline: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '200' },
    docs: { type: 'boolean' },
  },
});
const short = values.short;
const deadlineMs = Number(values.deadline);
const rate = Number(values.rate);
const durations: Durations = short ? { preMs: 3000, faultMs: 8000, postMs: 5000 } : { preMs: 5000, faultMs: 15_000, postMs: 10_000 };
// Client-measured times get a wide margin, and none at all on a noisy run (docs/reliability.md, "How the checks judge time").
const limits: Limits = { deadlineMs, slackMs: 1000, recoveryMs: 1000, clientMarginMs: 3000 };
/** A machine busier than this (1-minute load per core) makes client-measured times noise. */
const LOADED_PER_CORE = 1.5;
/** A load generator whose event loop stalled this long measured its own delays, not the gateway's. */
const GENERATOR_STALL_MS = 1000;
const wanted = values.only ? values.only.split(',').map(Number) : short ? [2, 3, 5] : SCENARIOS.map((s) => s.id);
const selected = SCENARIOS.filter((s) => wanted.includes(s.id));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const runDir = path.join(ROOT, '.kafka', 'faults', stamp);
mkdirSync(runDir, { recursive: true });

const log = (msg: string) => console.log(`faults: ${msg}`);

/**
 * The kernel's count of connections dropped because a listen queue was full (machine-wide). When a
 * starved gateway accepts too slowly, the client's SYNs are dropped and retried 1, 3, 7, 15, 31 s
 * later: answers then look that much later to the client than in the gateway's own log.
 */
function listenOverflows(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
    const names = lines[0]!.split(' ');
    const values = lines[1]!.split(' ');
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch {
    return undefined;
  }
}

// Brokers and gateways live in processes of their own: an interrupted run still takes them down.
const cleanups = new Set<() => Promise<unknown>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping gateways and brokers`);
    void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
  });
}

async function createTopic(bootstrap: string, topic: string, replication: number): Promise<void> {
  await run('bash', [KAFKA_SCRIPT, 'tool', 'org.apache.kafka.tools.TopicCommand', '--bootstrap-server', bootstrap, '--create', '--topic', topic, '--partitions', '3', '--replication-factor', String(replication)], {
    env: { ...process.env, KAFKA_LIBS_DIR },
  });
}

/** One produce per replica until it succeeds: the replicas' producers are connected before the clock starts. */
async function warmUp(replicas: Replica[], topic: string, scenario: number): Promise<void> {
  for (const r of replicas) {
    for (let i = 0; ; i++) {
      const key = `warm-${scenario}-${r.index}-${i}`;
      const res = await fetch(`${r.url}/produce`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic, key, message: { id: key } }),
      }).catch(() => undefined);
      if (res?.ok) break;
      if (i > 60) throw new Error(`replica ${r.index} cannot produce to ${topic}`);
      await sleep(500);
    }
  }
}

async function runScenario(s: Scenario, kafka: { bootstrap: string; single?: SecondBroker; cluster?: KafkaCluster }): Promise<Row> {
  const topic = `faults-${s.id}-${Date.now()}`;
  log(`fault ${s.id}: ${s.name} (topic ${topic})`);
  await createTopic(kafka.bootstrap, topic, s.kafka === 'cluster' ? 3 : 1);
  const env = {
    KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrap,
    // The gateway-enforced answer bound (librdkafka's message.timeout.ms is derived from it).
    PRODUCE_DEADLINE_MS: String(deadlineMs),
    LOG_LEVEL: 'info',
  };
  const dir = path.join(runDir, `fault-${s.id}`);
  mkdirSync(dir, { recursive: true });
  const replicas = await Promise.all([0, 1].map((i) => startReplica(i, env, dir)));
  const killReplicas = () => Promise.all(replicas.map((r) => stopReplica(r, 5000)));
  cleanups.add(killReplicas);
  const load = new SteadyLoad({ urls: replicas.map((r) => r.url), topic, rate, idPrefix: `f${s.id}-${stamp}`, clientTimeoutMs: 120_000 });
  try {
    await warmUp(replicas, topic, s.id);
    await Promise.all(replicas.map(eventLoopLagMaxMs)); // resets the metric's window
    const cpuBefore = replicas.map(cpuSeconds);
    const loadStarted = Date.now();
    // The client's own health: a starved load generator would make answers look late.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const ownCpu = process.cpuUsage();
    const overflowsBefore = listenOverflows();
    load.start();
    await sleep(durations.preMs);
    const lagBefore = await Promise.all(replicas.map(eventLoopLagMaxMs));
    const marks = await s.inject({ ...kafka, topic, replicas, load, durations });
    await sleep(durations.postMs);
    const lagAfter = await Promise.all(replicas.map(eventLoopLagMaxMs));
    await load.stop();
    const ms = (v: number | undefined) => (v === undefined ? 'gone' : `${Math.round(v)} ms`);
    marks.notes.push(`gateway event-loop delay max before the fault ${lagBefore.map(ms).join(' / ')}, after ${lagAfter.map(ms).join(' / ')}`);
    const cpu = replicas.map((r, i) => {
      const after = cpuSeconds(r);
      return after === undefined ? 'gone' : `${(after - cpuBefore[i]!).toFixed(1)} s`;
    });
    loopDelay.disable();
    const overflows = listenOverflows();
    if (overflows !== undefined && overflowsBefore !== undefined) marks.notes.push(`listen-queue overflows (machine-wide) ${overflows - overflowsBefore}`);
    const own = process.cpuUsage(ownCpu);
    const loadPerCore = os.loadavg()[0]! / os.cpus().length;
    const generatorStallMs = loopDelay.max / 1e6;
    const noisy =
      loadPerCore > LOADED_PER_CORE
        ? `machine loaded (1-minute load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`
        : generatorStallMs > GENERATOR_STALL_MS
          ? `load generator stalled ${generatorStallMs.toFixed(0)} ms`
          : undefined;
    marks.notes.push(`replica CPU ${cpu.join(' / ')} over ${((Date.now() - loadStarted) / 1000).toFixed(0)} s of load`);
    marks.notes.push(
      `load generator CPU ${((own.user + own.system) / 1e6).toFixed(1)} s, event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
    );
    const exits = await Promise.all(replicas.map((r) => stopReplica(r)));
    marks.notes.push(`replica exits ${exits.join('/')}`);
    const records = await readTopic(topic, kafka.bootstrap);
    // Raw outcomes beside the gateway logs, times relative to the fault, for a closer look.
    const rel = (t: number | undefined) => (t === undefined ? undefined : Math.round(t - marks.faultAt));
    writeFileSync(
      path.join(dir, 'attempts.jsonl'),
      load.attempts.map((a) => JSON.stringify({ ...a, sentAt: rel(a.sentAt), doneAt: rel(a.doneAt) })).join('\n') + '\n',
    );
    const byKey = new Map<string, { partition: number; offset: number }[]>();
    for (const r of records) if (r.key !== null) byKey.set(r.key, [...(byKey.get(r.key) ?? []), { partition: r.partition, offset: r.offset }]);
    const dups = load.attempts.filter((a) => (byKey.get(a.id)?.length ?? 0) > 1);
    writeFileSync(path.join(dir, 'duplicates.json'), JSON.stringify(dups.map((a) => ({ ...a, sentAt: rel(a.sentAt), doneAt: rel(a.doneAt), copies: byKey.get(a.id) })), null, 1));
    writeFileSync(path.join(dir, 'marks.json'), JSON.stringify({ ...marks, backAt: rel(marks.backAt), noAckWindow: marks.noAckWindow && { from: rel(marks.noAckWindow.from), until: rel(marks.noAckWindow.until) } }));
    const gatewayLongestMs = Math.max(...replicas.map(longestLoggedProduce));
    const row = account(`${s.id}. ${s.name}`, load.attempts, records, marks, limits, noisy === undefined ? { gatewayLongestMs } : { gatewayLongestMs, noisy });
    row.gatewayLongestMs = gatewayLongestMs;
    log(`fault ${s.id}: ${row.requests} requests, ${row.acked} acked, ${row.failures.length === 0 ? 'pass' : row.failures.join('; ')}`);
    return row;
  } finally {
    await load.stop();
    await killReplicas();
    cleanups.delete(killReplicas);
  }
}

function failedRow(s: Scenario, err: unknown): Row {
  return {
    fault: `${s.id}. ${s.name}`,
    requests: 0,
    acked: 0,
    ackedFound: 0,
    duplicates: 0,
    unacked: {},
    ackedWithoutOffset: 0,
    longestMs: 0,
    longestWhat: '-',
    first2xxAfterBackMs: undefined,
    longest2xxGapMs: 0,
    failures: [`harness error: ${err instanceof Error ? err.message : String(err)}`],
    notes: [],
  };
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const rows: Row[] = [];
  const singles = selected.filter((s) => s.kafka === 'single');
  const clustered = selected.filter((s) => s.kafka === 'cluster');
  if (singles.length > 0) {
    const single = new SecondBroker();
    const destroy = () => single.destroy();
    cleanups.add(destroy);
    try {
      await single.start();
      for (const s of singles) rows.push(await runScenario(s, { bootstrap: single.bootstrap, single }).catch((err: unknown) => failedRow(s, err)));
    } finally {
      await single.destroy();
      cleanups.delete(destroy);
    }
  }
  if (clustered.length > 0) {
    const cluster = new KafkaCluster();
    const destroy = () => cluster.destroy();
    cleanups.add(destroy);
    try {
      log('starting the 3-node cluster');
      await cluster.start();
      for (const s of clustered) rows.push(await runScenario(s, { bootstrap: cluster.bootstrap, cluster }).catch((err: unknown) => failedRow(s, err)));
    } finally {
      await cluster.destroy();
      cleanups.delete(destroy);
    }
  }
  rows.sort((a, b) => parseInt(a.fault, 10) - parseInt(b.fault, 10));

  const commit = execFileSync('git', ['-C', ROOT, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.loadavg()[0]!.toFixed(1)} load, Node ${process.version}`;
  const body = [
    `Command: \`npm run test:faults${short ? ' -- --short' : ''}\` (${short ? 'short form' : 'full run'}, ${((Date.now() - t0) / 1000).toFixed(0)} s).`,
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, code ${commit}.`,
    `Load: ${rate} req/s of \`POST /produce\` alternating over two gateway replicas (built \`dist/src/main.js\`, each its own process),`,
    `a unique id per message as key and in the body; deadline ${deadlineMs} ms (\`PRODUCE_DEADLINE_MS\`);`,
    `broker faults last ${durations.faultMs / 1000} s; every topic read back with kcat from beginning to end.`,
    '',
    table(rows),
    '',
    'Notes:',
    notes(rows),
  ].join('\n');
  console.log(`\n${body}\n`);
  if (values.docs ?? (!short && !values.only)) {
    writeSection(path.join(ROOT, 'docs/reliability.md'), body);
    log('table written to docs/reliability.md');
  }
  log(`run artefacts (gateway logs) in ${runDir}`);
  const failed = rows.filter((r) => r.failures.length > 0).length;
  log(failed === 0 ? 'all checks passed' : `${failed} of ${rows.length} faults failed a check`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);

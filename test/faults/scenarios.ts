import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { KafkaCluster, NodeId } from '../helpers/kafka-cluster.js';
import type { SecondBroker } from '../helpers/second-broker.js';
import type { Marks } from './accounting.js';
import type { Replica } from './gateway-replicas.js';
import type { SteadyLoad } from './load.js';

const run = promisify(execFile);
const now = () => performance.now();

export interface Durations {
  /** Load before the fault. */
  preMs: number;
  /** How long a broker stays dead or frozen. */
  faultMs: number;
  /** Load after recovery. */
  postMs: number;
}

export interface FaultContext {
  topic: string;
  bootstrap: string;
  replicas: Replica[];
  load: SteadyLoad;
  durations: Durations;
  single?: SecondBroker;
  cluster?: KafkaCluster;
}

export interface Scenario {
  id: number;
  name: string;
  kafka: 'single' | 'cluster';
  /** Runs while the load runs: injects the fault, recovers, and reports its moments. */
  inject(ctx: FaultContext): Promise<Marks>;
}

/** Polls until check() holds; returns the moment it first did. */
async function when(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<number> {
  const giveUp = now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return now();
    if (now() > giveUp) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function servesMetadata(bootstrap: string): Promise<boolean> {
  const { stdout } = await run('kcat', ['-b', bootstrap, '-L', '-J', '-m', '1']);
  return (JSON.parse(stdout) as { brokers: unknown[] }).brokers.length > 0;
}

/** Every restarted node serves metadata that lists all of them (a node answers only once started). */
async function liveHas(cluster: KafkaCluster, ids: NodeId[]): Promise<boolean> {
  for (const via of ids) {
    const live = await cluster.liveNodes(via);
    if (!ids.every((id) => live.includes(id))) return false;
  }
  return true;
}

async function killPid(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await when(async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }, `pid ${pid} to die`);
}

/** Restarts run in the background while the harness polls metadata itself, for a precise "back" moment. */
async function restartCluster(cluster: KafkaCluster, ids: NodeId[]): Promise<number> {
  const started = Promise.all(ids.map((id) => cluster.startNode(id)));
  const backAt = await when(() => liveHas(cluster, ids), `nodes ${ids.join(',')} back`);
  await started;
  return backAt;
}

export const SCENARIOS: Scenario[] = [
  {
    id: 1,
    name: 'single broker SIGKILL, restarted',
    kafka: 'single',
    async inject({ single, bootstrap, durations }) {
      const faultAt = now();
      await killPid(single!.pid());
      await sleep(durations.faultMs);
      const started = single!.start();
      const backAt = await when(() => servesMetadata(bootstrap), 'broker back');
      await started;
      return { faultAt, backAt, notes: [`broker dead ${((backAt - faultAt) / 1000).toFixed(1)} s`] };
    },
  },
  {
    id: 2,
    name: 'cluster: partition leader SIGKILL, restarted',
    kafka: 'cluster',
    async inject({ cluster, topic, durations }) {
      const leader = (await cluster!.partitions(topic)).find((p) => p.partition === 0)!.leader as NodeId;
      const faultAt = now();
      await cluster!.kill(leader);
      await sleep(durations.faultMs);
      const backAt = await restartCluster(cluster!, [leader]);
      return { faultAt, backAt, notes: [`killed node ${leader} (leader of partition 0)`] };
    },
  },
  {
    id: 3,
    name: 'cluster: two of three brokers SIGKILL',
    kafka: 'cluster',
    async inject({ cluster, topic, durations }) {
      const leader = (await cluster!.partitions(topic)).find((p) => p.partition === 0)!.leader as NodeId;
      const victims = [leader, leader === 1 ? 2 : 1] as NodeId[];
      const faultAt = now();
      await Promise.all(victims.map((id) => cluster!.kill(id)));
      const from = now();
      await sleep(durations.faultMs);
      const until = now();
      const backAt = await restartCluster(cluster!, victims);
      return { faultAt, backAt, noAckWindow: { from, until }, notes: [`killed nodes ${victims.join(' and ')}`] };
    },
  },
  {
    id: 4,
    name: 'single broker frozen (SIGSTOP) past the deadline',
    kafka: 'single',
    async inject({ single, bootstrap, durations }) {
      const faultAt = now();
      single!.freeze();
      await sleep(durations.faultMs);
      single!.thaw();
      const backAt = await when(() => servesMetadata(bootstrap), 'broker answering');
      return { faultAt, backAt, notes: [`frozen ${(durations.faultMs / 1000).toFixed(0)} s`] };
    },
  },
  {
    id: 5,
    name: 'gateway SIGTERM mid-load',
    kafka: 'cluster',
    async inject({ replicas, load }) {
      const victim = replicas[0]!;
      const faultAt = now();
      // Like a balancer that drops an endpoint as it is told to stop: nothing new goes to it,
      // and everything it already received must be answered.
      load.exclude(victim.index);
      victim.child.kill('SIGTERM');
      const exit = await victim.exited;
      const tookMs = now() - faultAt;
      return { faultAt, noResetReplica: victim.index, notes: [`replica ${victim.index} exited ${exit} ${(tookMs / 1000).toFixed(1)} s after SIGTERM`] };
    },
  },
  {
    id: 6,
    name: 'gateway SIGKILL mid-load',
    kafka: 'cluster',
    async inject({ replicas, load }) {
      const victim = replicas[0]!;
      const faultAt = now();
      load.exclude(victim.index);
      victim.child.kill('SIGKILL');
      await victim.exited;
      return { faultAt, notes: [`replica ${victim.index} killed; its open requests are reset (expected)`] };
    },
  },
];

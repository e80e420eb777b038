import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../helpers/env.js';
import { freePort } from '../helpers/free-port.js';

export interface Replica {
  index: number;
  url: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

const MAIN = path.join(ROOT, 'dist/src/main.js');

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * One gateway as it runs in production: the built dist/src/main.js in a process of its own (so it
 * can be SIGTERMed or SIGKILLed), on a free port, its log written to a file of the run.
 */
export async function startReplica(index: number, env: Record<string, string>, logDir: string): Promise<Replica> {
  const port = await freePort();
  const logFile = path.join(logDir, `gateway-${index}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await answers(url)); i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`gateway ${index} exited at start-up; see ${logFile}`);
    if (i > 300) throw new Error(`gateway ${index} not answering after 30 s; see ${logFile}`);
    await sleep(100);
  }
  return { index, url, child, logFile, exited };
}

/** SIGTERM and wait for the exit (SIGKILL after the grace period, reported as such). */
export async function stopReplica(replica: Replica, graceMs = 45_000): Promise<number | string> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return replica.exited;
  replica.child.kill('SIGTERM');
  const timer = setTimeout(() => replica.child.kill('SIGKILL'), graceMs);
  try {
    return await replica.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The longest POST /produce latency in a replica's access log (its own clock: received to answered). */
export function longestLoggedProduce(replica: Replica): number {
  let longest = 0;
  for (const line of readFileSync(replica.logFile, 'utf8').split('\n')) {
    if (!line.includes('"route":"/produce"')) continue;
    try {
      const entry = JSON.parse(line) as { latency_ms?: number };
      if (typeof entry.latency_ms === 'number') longest = Math.max(longest, entry.latency_ms);
    } catch {
      // a partial last line of a killed replica
    }
  }
  return longest;
}

/** CPU seconds (user + system) the replica's process has used so far; undefined once it is gone. */
export function cpuSeconds(replica: Replica): number | undefined {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${replica.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** The replica's longest event-loop delay since its last scrape (prom-client's default metric), in ms. */
export async function eventLoopLagMaxMs(replica: Replica): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${replica.url}/metrics`, { signal: AbortSignal.timeout(15_000) })).text();
    const value = /^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)/m.exec(text)?.[1];
    return value === undefined ? undefined : Number(value) * 1000;
  } catch {
    return undefined;
  }
}

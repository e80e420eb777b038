import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { ROOT, bootstrap, uniqueTopic } from './env.js';

export interface RunningWorker {
  child: ChildProcess;
  /** Everything the worker printed so far (JSON lines). */
  output(): string;
  stop(): Promise<void>;
}

/** examples/worker as `npm run worker` runs it (tsx), in a consumer group of its own. */
export function startWorker(env: { KGATE_URL: string } & Record<string, string>): RunningWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'examples/worker/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: bootstrap(), WORKER_GROUP: uniqueTopic('worker-group'), WORKER_WORK_MS: '50', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

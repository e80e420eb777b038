import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './env.js';
import type { ConsumedRecord } from './kcat.js';

const run = promisify(execFile);
const PYTHON = path.join(ROOT, '.venv-cloudevents', 'bin', 'python');

export interface PyEvent {
  attributes?: Record<string, unknown>;
  data?: unknown;
  error?: string;
}

/** Installs the PyPI SDK's venv when missing (the script is a no-op when it is there). */
export async function ensureCloudEventsPy(): Promise<void> {
  await run(path.join(ROOT, 'scripts/install-cloudevents-py.sh'), [], { timeout: 300_000 });
}

/** The records as the PyPI CloudEvents SDK reads them through its Kafka binding. */
export async function parseWithPythonSdk(records: ConsumedRecord[]): Promise<PyEvent[]> {
  const input = JSON.stringify(records.map((r) => ({ headers: r.headers, key: r.key, value: r.payload })));
  const child = run(PYTHON, [path.join(ROOT, 'test/helpers/cloudevents-read.py')]);
  child.child.stdin!.end(input);
  const { stdout } = await child;
  return JSON.parse(stdout) as PyEvent[];
}

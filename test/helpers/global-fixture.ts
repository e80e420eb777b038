import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { KAFKA_LIBS_DIR, KAFKA_SCRIPT, TEST_BROKER_HOME } from './env.js';
import { freePort } from './free-port.js';

function brokerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, KAFKA_HOME_DIR: TEST_BROKER_HOME, KAFKA_LIBS_DIR };
}

/** The port of a test broker left running by an earlier run (KGATE_KEEP_BROKER=1), if any. */
function runningPort(): number | undefined {
  try {
    const status = execFileSync('bash', [KAFKA_SCRIPT, 'status'], { env: brokerEnv(), encoding: 'utf8' });
    const port = Number(/port (\d+)/.exec(status)?.[1]);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

// Runs when mocha loads this file, before any spec is imported, so every spec sees the port.
// The OS picks it: a fixed port collides with whatever else runs on the machine (./run.sh's broker too).
if (!process.env.KGATE_TEST_KAFKA_PORT) {
  const port = runningPort() ?? (await freePort());
  process.env.KGATE_TEST_KAFKA_PORT = String(port);
}

/** Mocha calls the global fixtures with its runner as `this`: its root suites name their spec files. */
interface RunnerLike {
  suite: { suites: { file?: string }[] };
}

/**
 * Only integration specs talk to a broker: a run of unit specs alone (`npx mocha test/unit/x.test.ts`)
 * starts none and needs no kcat. `npm run test:unit` does not load this file at all (.mocharc.unit.json).
 */
function hasIntegrationSpecs(runner: RunnerLike): boolean {
  return runner.suite.suites.some((suite) => !suite.file?.includes(`${path.sep}test${path.sep}unit${path.sep}`));
}

let started = false;

/** One real broker for the whole run, of its own (.kafka/test-shared), on free ports. */
export async function mochaGlobalSetup(this: RunnerLike): Promise<void> {
  if (!hasIntegrationSpecs(this)) return;
  started = true;
  const port = process.env.KGATE_TEST_KAFKA_PORT!;
  execFileSync('bash', [KAFKA_SCRIPT, 'start'], {
    stdio: 'inherit',
    env: { ...brokerEnv(), KAFKA_PORT: port, KAFKA_CONTROLLER_PORT: String(await freePort()) },
  });
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new Error('kcat is needed to read records back independently: apt-get install -y kcat (scripts/install-system-deps.sh)');
  }
}

/** Stops the broker unless KGATE_KEEP_BROKER=1 (then the next run reuses it and starts faster). */
export function mochaGlobalTeardown(): void {
  if (!started || process.env.KGATE_KEEP_BROKER === '1') return;
  execFileSync('bash', [KAFKA_SCRIPT, 'stop'], { stdio: 'inherit', env: brokerEnv() });
}

import { execFileSync } from 'node:child_process';
import { KAFKA_SCRIPT } from './env.js';

/** One real broker for the whole run; idempotent, so an already running broker is reused. */
export function mochaGlobalSetup(): void {
  execFileSync('bash', [KAFKA_SCRIPT, 'start'], { stdio: 'inherit' });
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new Error('kcat is needed to read records back independently: apt-get install -y kcat (scripts/install-system-deps.sh)');
  }
}

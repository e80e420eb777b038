import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_SCRIPT, ROOT } from './env.js';

const run = promisify(execFile);

/**
 * A broker of its own for tests that stop, freeze or restart Kafka, so the shared broker
 * the other suites use is never disturbed. It shares the shared broker's jars.
 */
export class SecondBroker {
  readonly home: string;
  readonly bootstrap: string;

  constructor(
    readonly port: number,
    /** Extra server.properties lines (scripts/kafka.sh KAFKA_EXTRA_CONFIG). */
    private readonly extraConfig = '',
  ) {
    this.home = path.join(ROOT, '.kafka', `test-broker-${port}`);
    this.bootstrap = `127.0.0.1:${port}`;
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, KAFKA_HOME_DIR: this.home, KAFKA_PORT: String(this.port), KAFKA_CONTROLLER_PORT: String(this.port + 1), KAFKA_EXTRA_CONFIG: this.extraConfig };
  }

  async start(): Promise<void> {
    mkdirSync(this.home, { recursive: true });
    const libs = path.join(this.home, 'libs');
    if (!existsSync(libs)) symlinkSync(path.join(ROOT, '.kafka', 'libs'), libs);
    await run('bash', [KAFKA_SCRIPT, 'start'], { env: this.env() });
  }

  async stop(): Promise<void> {
    await run('bash', [KAFKA_SCRIPT, 'stop'], { env: this.env() });
  }

  pid(): number {
    return Number(readFileSync(path.join(this.home, 'kafka.pid'), 'utf8').trim());
  }

  /** SIGSTOP: the broker keeps its sockets open but answers nothing, like a hung machine. */
  freeze(): void {
    process.kill(this.pid(), 'SIGSTOP');
  }

  thaw(): void {
    process.kill(this.pid(), 'SIGCONT');
  }

  async destroy(): Promise<void> {
    try {
      this.thaw();
    } catch {
      // not running
    }
    await this.stop();
    rmSync(this.home, { recursive: true, force: true });
  }
}

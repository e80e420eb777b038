import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KAFKA_LIBS_DIR, KAFKA_SCRIPT, ROOT } from './env.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** 16 random bytes in base64url, as Kafka's Uuid; never starting with '-', which kafka-storage would read as an option. */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * A broker of its own for tests that stop, freeze or restart Kafka, so the shared broker
 * the other suites use is never disturbed. It shares the jars and takes free ports, chosen once
 * at the first start and kept across restarts (clients keep their bootstrap address).
 */
export class SecondBroker {
  readonly home: string;
  /** Its own cluster id (scripts/kafka.sh formats every broker with one fixed id otherwise): a check that a
   * client reached this broker, not the shared one, can tell them apart. */
  private readonly formatClusterId = randomClusterId();
  private ports: { broker: number; controller: number } | undefined;
  private saslSslPort: number | undefined;
  private sslPort: number | undefined;
  private oauthPort: number | undefined;

  constructor(
    /** Extra server.properties lines (scripts/kafka.sh KAFKA_EXTRA_CONFIG). */
    private readonly extraConfig = '',
    /** saslSsl: also a SASL_SSL listener (scripts/kafka.sh KAFKA_SASL_SSL_PORT), user kgate / kgate-secret;
     * mtls: also an SSL listener requiring a client certificate (KAFKA_SSL_PORT). */
    private readonly options: {
      saslSsl?: boolean;
      mtls?: boolean;
      /** also a SASL_PLAINTEXT OAUTHBEARER listener validating tokens against this JWKS (KAFKA_OAUTH_PORT). */
      oauth?: { jwksUrl: string; issuer?: string; audience?: string; reauthMs?: number };
    } = {},
  ) {
    this.home = path.join(ROOT, '.kafka', `test-broker-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  }

  get port(): number {
    if (!this.ports) throw new Error('SecondBroker: start() first');
    return this.ports.broker;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** 127.0.0.1:<SASL_SSL port>; only with { saslSsl: true }. */
  get saslSslBootstrap(): string {
    if (this.saslSslPort === undefined) throw new Error('SecondBroker: no SASL_SSL listener (start() with { saslSsl: true })');
    return `127.0.0.1:${this.saslSslPort}`;
  }

  /** 127.0.0.1:<SSL port> (client certificate required); only with { mtls: true }. */
  get mtlsBootstrap(): string {
    if (this.sslPort === undefined) throw new Error('SecondBroker: no SSL listener (start() with { mtls: true })');
    return `127.0.0.1:${this.sslPort}`;
  }

  /** 127.0.0.1:<OAUTHBEARER port>; only with { oauth }. */
  get oauthBootstrap(): string {
    if (this.oauthPort === undefined) throw new Error('SecondBroker: no OAUTHBEARER listener (start() with { oauth })');
    return `127.0.0.1:${this.oauthPort}`;
  }

  /** A file made by scripts/kafka.sh in <home>/tls: ca.pem, client.pem, client.key, client-encrypted.key. */
  tlsFile(name: string): string {
    return path.join(this.home, 'tls', name);
  }

  /** The cluster id kafka-storage wrote into this broker's meta.properties (what GET /v3/clusters must name). */
  clusterId(): string {
    const meta = readFileSync(path.join(this.home, 'data', 'meta.properties'), 'utf8');
    const id = /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim();
    if (!id) throw new Error(`SecondBroker: no cluster.id in ${this.home}/data/meta.properties`);
    return id;
  }

  /** The CA that signed the SASL_SSL listener's certificate (made by scripts/kafka.sh). */
  get caLocation(): string {
    return path.join(this.home, 'tls', 'ca.pem');
  }

  private env(): NodeJS.ProcessEnv {
    const { broker, controller } = this.ports!;
    return {
      ...process.env,
      ...(this.saslSslPort === undefined ? {} : { KAFKA_SASL_SSL_PORT: String(this.saslSslPort) }),
      ...(this.sslPort === undefined ? {} : { KAFKA_SSL_PORT: String(this.sslPort) }),
      ...(this.oauthPort === undefined || !this.options.oauth
        ? {}
        : {
            KAFKA_OAUTH_PORT: String(this.oauthPort),
            KAFKA_OAUTH_JWKS_URL: this.options.oauth.jwksUrl,
            ...(this.options.oauth.issuer ? { KAFKA_OAUTH_ISSUER: this.options.oauth.issuer } : {}),
            ...(this.options.oauth.audience ? { KAFKA_OAUTH_AUDIENCE: this.options.oauth.audience } : {}),
            ...(this.options.oauth.reauthMs ? { KAFKA_OAUTH_REAUTH_MS: String(this.options.oauth.reauthMs) } : {}),
          }),
      KAFKA_HOME_DIR: this.home,
      KAFKA_CLUSTER_ID: this.formatClusterId,
      KAFKA_LIBS_DIR,
      KAFKA_PORT: String(broker),
      KAFKA_CONTROLLER_PORT: String(controller),
      KAFKA_EXTRA_CONFIG: this.extraConfig,
    };
  }

  async start(): Promise<void> {
    this.ports ??= { broker: await freePort(), controller: await freePort() };
    if (this.options.saslSsl) this.saslSslPort ??= await freePort();
    if (this.options.mtls) this.sslPort ??= await freePort();
    if (this.options.oauth) this.oauthPort ??= await freePort();
    mkdirSync(this.home, { recursive: true });
    await run('bash', [KAFKA_SCRIPT, 'start'], { env: this.env() });
  }

  async stop(): Promise<void> {
    if (!this.ports) return;
    await run('bash', [KAFKA_SCRIPT, 'stop'], { env: this.env() });
  }

  pid(): number {
    return Number(readFileSync(path.join(this.home, 'kafka.pid'), 'utf8').trim());
  }

  /** SIGSTOP: the broker keeps its sockets open but answers nothing, like a hung machine. */
  freeze(): void {
    const pid = this.pid();
    process.kill(pid, 'SIGSTOP');
    waitUntilStopped(pid);
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

/**
 * SIGSTOP is delivered asynchronously: on a loaded machine a JVM thread could still take a request
 * in the moment after kill() returns (seen once: a produce "to the frozen broker" was acknowledged).
 * Waits, synchronously and for at most 2 s, until every thread of the process is stopped ("T").
 */
function waitUntilStopped(pid: number): void {
  const stateOf = (task: string): string => readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').replace(/^.*\) /s, '')[0] ?? '?';
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const deadline = Date.now() + 2000; Date.now() < deadline; Atomics.wait(pause, 0, 0, 5)) {
    try {
      if (readdirSync(`/proc/${pid}/task`).every((task) => stateOf(task) === 'T')) return;
    } catch {
      // a thread ended between the listing and the read: look again
    }
  }
  throw new Error(`broker pid ${pid} not stopped 2 s after SIGSTOP`);
}

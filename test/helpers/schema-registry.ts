import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { bootstrap, ROOT } from './env.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'scripts/schema-registry.sh');
const VENV_PYTHON = path.join(ROOT, '.venv-confluent/bin/python');
const DECODE = path.join(ROOT, 'test/helpers/confluent-decode.py');

/**
 * A real schema registry (Apicurio Registry 3.0.9, Confluent API) of its own, on a free port,
 * started by scripts/schema-registry.sh (which fetches it once) and stopped by stop().
 */
export class TestSchemaRegistry {
  private port: number | undefined;
  readonly home = path.join(ROOT, '.kafka', `test-registry-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);

  get url(): string {
    if (this.port === undefined) throw new Error('TestSchemaRegistry: start() first');
    return `http://127.0.0.1:${this.port}/apis/ccompat/v7`;
  }

  async start(): Promise<void> {
    this.port ??= await freePort();
    await run('bash', [SCRIPT, 'start'], { env: { ...process.env, REGISTRY_HOME_DIR: this.home, REGISTRY_PORT: String(this.port) }, timeout: 600_000 });
  }

  async stop(): Promise<void> {
    if (!existsSync(this.home)) return;
    await run('bash', [SCRIPT, 'stop'], { env: { ...process.env, REGISTRY_HOME_DIR: this.home } });
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.home, { recursive: true, force: true });
  }

  private async call(method: string, route: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.url}/${route}`, {
      method,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = await res.json();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  }

  /** Registers a schema under a subject through the Confluent API; returns the registry's id. */
  async register(subject: string, schema: unknown, schemaType: 'AVRO' | 'JSON' | 'PROTOBUF' = 'AVRO'): Promise<number> {
    const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
    const answer = await this.call('POST', `subjects/${encodeURIComponent(subject)}/versions`, { schema: text, ...(schemaType === 'AVRO' ? {} : { schemaType }) });
    return answer.id as number;
  }

  async setCompatibility(subject: string, level: 'BACKWARD' | 'FORWARD' | 'FULL' | 'NONE'): Promise<void> {
    await this.call('PUT', `config/${encodeURIComponent(subject)}`, { compatibility: level });
  }
}

export interface Decoded {
  partition: number;
  offset: number;
  magic: number;
  schema_id: number;
  value: unknown;
}

/** Every record of a topic, decoded by Confluent's official Python deserializers (scripts/install-python-deps.sh). */
export async function decodeWithConfluent(topic: string, registryUrl: string, format: 'avro' | 'jsonschema' | 'protobuf'): Promise<Decoded[]> {
  if (!existsSync(VENV_PYTHON)) throw new Error('Confluent Python client missing: run scripts/install-python-deps.sh (npm test\'s pretest does)');
  const { stdout } = await run(VENV_PYTHON, [DECODE, bootstrap(), registryUrl, topic, format], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Decoded);
}

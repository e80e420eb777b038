import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bootstrap } from './env.js';

const run = promisify(execFile);

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string;
  headers: Record<string, string>;
  tstype?: string;
  ts?: number;
}

interface KcatJson {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
  ts?: number;
  tstype?: string;
}

/**
 * Everything in a topic, read by kcat: an independent client (not node-rdkafka's JS layer), so a
 * test checks what the broker holds, not what the gateway believes it wrote.
 */
export async function readTopic(topic: string, brokers = bootstrap()): Promise<ConsumedRecord[]> {
  const { stdout } = await run('kcat', ['-b', brokers, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J', '-m', '30'], {
    maxBuffer: 512 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const raw = JSON.parse(line) as KcatJson;
      const headers = Object.create(null) as Record<string, string>;
      for (let i = 0; raw.headers && i < raw.headers.length; i += 2) headers[raw.headers[i]!] = raw.headers[i + 1]!;
      return {
        topic: raw.topic,
        partition: raw.partition,
        offset: raw.offset,
        key: raw.key,
        payload: raw.payload ?? '',
        headers,
        ...(raw.ts === undefined ? {} : { ts: raw.ts }),
        ...(raw.tstype === undefined ? {} : { tstype: raw.tstype }),
      };
    });
}

/** Writes records with kcat, as a worker using any Kafka client would; values are JSON-encoded. */
export async function produceWithKcat(topic: string, records: Array<{ key: string; value: unknown }>, brokers = bootstrap()): Promise<void> {
  const { spawn } = await import('node:child_process');
  // \u0001 separates key from value: it cannot appear in a request id or in JSON text unescaped.
  const input = records.map((r) => `${r.key}\u0001${JSON.stringify(r.value)}`).join('\n') + '\n';
  await new Promise<void>((resolve, reject) => {
    const child = spawn('kcat', ['-b', brokers, '-P', '-t', topic, '-K', '\u0001', '-X', 'acks=all'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}

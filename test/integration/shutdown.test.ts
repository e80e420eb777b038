import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { bootstrap, ROOT, uniqueTopic } from '../helpers/env.js';
import { postJson } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';

/** Starts the built gateway (dist/) as its own process and resolves with its URL. */
async function spawnGateway(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', KAFKA_BOOTSTRAP_SERVERS: bootstrap(), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Keep reading stdout for the child's whole life: a full pipe would block its logging, and so the gateway.
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { message?: string; url?: string };
      if (entry.message === 'gateway listening' && entry.url) resolve(entry.url);
    });
    child.once('exit', () => reject(new Error('gateway exited before listening')));
  });
  return { child, url };
}

/** One POST on a keep-alive agent; rejects with the socket error (ECONNRESET, ECONNREFUSED...). */
function post(agent: http.Agent, url: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(`${url}/produce`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('graceful shutdown (SIGTERM under load, the built gateway as a process)', () => {
  it('no request already sent on a keep-alive connection is reset: every one gets an HTTP answer', async function () {
    this.timeout(60_000);
    const topic = uniqueTopic('shutdown-resets');
    const { child, url } = await spawnGateway({ ACCESS_LOG: 'false' });
    const exited = once(child, 'exit');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const statuses = new Map<number, number>();
    const socketErrors: string[] = [];
    let refused = 0;
    let gone = false;

    async function worker(w: number): Promise<void> {
      for (let i = 0; !gone; i++) {
        try {
          const res = await post(agent, url, { topic, key: `w${w}`, message: { id: `${w}-${i}` } });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? String(err);
          // A new connection refused: the listener is closed, nothing was sent. Anything else
          // (ECONNRESET, socket hang up) is a request the gateway received and did not answer.
          if (code === 'ECONNREFUSED') {
            refused++;
            return;
          }
          socketErrors.push(code);
        }
      }
    }

    const workers = Array.from({ length: 48 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGTERM');
    const [code] = await exited;
    gone = true;
    await Promise.all(workers);
    agent.destroy();

    expect(code).to.equal(0);
    expect(statuses.get(200) ?? 0).to.be.greaterThan(100);
    expect(socketErrors, 'requests reset instead of answered').to.deep.equal([]);
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).to.deep.equal([]);
    // The workers kept sending after SIGTERM: they were answered 503 + Connection: close, then refused.
    expect(refused).to.be.greaterThan(0);
  });


  it('every message that got a 2xx is in Kafka, and the process exits 0', async () => {
    const topic = uniqueTopic('shutdown');
    const { child, url } = await spawnGateway({ LOG_LEVEL: 'info' });
    const exited = once(child, 'exit');
    const acked: Array<{ id: string; partition: number; offset: number }> = [];
    const otherStatuses: number[] = [];
    let stop = false;

    async function worker(w: number): Promise<void> {
      for (let i = 0; !stop && i < 10_000; i++) {
        const id = `${w}-${i}`;
        try {
          const res = await postJson(`${url}/produce`, { topic, key: `w${w}`, message: { id } });
          if (res.status === 200) acked.push({ id, partition: res.body.partition, offset: res.body.offset });
          else otherStatuses.push(res.status);
        } catch {
          return; // connection refused or closed: the gateway is gone
        }
      }
    }

    const workers = Array.from({ length: 32 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 1500));
    const ackedBeforeSignal = acked.length;
    child.kill('SIGTERM');
    const [code] = await exited;
    stop = true;
    await Promise.all(workers);

    expect(code).to.equal(0);
    expect(ackedBeforeSignal).to.be.greaterThan(50);
    const records = await readTopic(topic);
    const landed = new Map(records.map((r) => [`${r.partition}:${r.offset}`, JSON.parse(r.payload).id as string]));
    for (const a of acked) expect(landed.get(`${a.partition}:${a.offset}`), `acked ${a.id}`).to.equal(a.id);
    // Whatever was not acknowledged was refused as the gateway drained: 503, never another failure.
    expect(otherStatuses.filter((s) => s !== 503)).to.deep.equal([]);
    // Exactly once: no record was written twice.
    expect(new Set(records.map((r) => JSON.parse(r.payload).id)).size).to.equal(records.length);
  });
});

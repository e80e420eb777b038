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

interface FreshAnswer {
  status: number;
  code?: string | undefined;
  connection?: string | undefined;
  retryAfter?: string | undefined;
}

/** One POST on a connection of its own (no agent): the connection is opened for this request only. */
function postFresh(url: string, body: unknown): Promise<FreshAnswer> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(`${url}/produce`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { code?: string };
        resolve({ status: res.statusCode!, code: parsed.code, connection: res.headers.connection, retryAfter: res.headers['retry-after'] as string | undefined });
      });
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
    let toldToGo = 0;
    let gone = false;

    async function worker(w: number): Promise<void> {
      for (let i = 0; !gone; i++) {
        try {
          const res = await post(agent, url, { topic, key: `w${w}`, message: { id: `${w}-${i}` } });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          // Told the gateway is going away: the client goes elsewhere (as a balancer does).
          if (res.status === 503 && res.body.code === 'SHUTTING_DOWN') {
            toldToGo++;
            return;
          }
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
    // The workers kept sending after SIGTERM: the listener stayed open (SHUTDOWN_ACCEPT_GRACE_MS) and
    // each was answered 503 SHUTTING_DOWN (or, if late, refused a connection).
    expect(toldToGo + refused).to.equal(48);
    expect(toldToGo).to.be.greaterThan(0);
  });

  it('connections opened right around SIGTERM are answered (503 SHUTTING_DOWN, Connection: close, Retry-After), never reset', async function () {
    this.timeout(60_000);
    const topic = uniqueTopic('shutdown-fresh');
    const { child, url } = await spawnGateway({ ACCESS_LOG: 'false' });
    const exited = once(child, 'exit');
    let signalled = false;
    const answers: Array<FreshAnswer & { afterSignal: boolean }> = [];
    const resets: string[] = [];
    let refused = 0;
    let readyAfterSignal: number | undefined;

    // Every request on a new connection, so there are always connections being opened and waiting in
    // the listen backlog as the signal comes. A client stops after a 503 SHUTTING_DOWN (it retries
    // elsewhere) or a refused connection (the listener is closed: nothing was sent, safe to retry).
    // A reset (ECONNRESET, socket hang up) is a connection the gateway accepted or queued and dropped.
    async function client(c: number): Promise<void> {
      for (let i = 0; ; i++) {
        const afterSignal = signalled;
        try {
          const res = await postFresh(url, { topic, key: `c${c}`, message: { id: `${c}-${i}` } });
          answers.push({ ...res, afterSignal });
          if (res.status === 503 && res.code === 'SHUTTING_DOWN') return;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? String(err);
          if (code === 'ECONNREFUSED') {
            refused++;
            return;
          }
          resets.push(code);
          return;
        }
      }
    }

    const clients = Array.from({ length: 32 }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGTERM');
    signalled = true;
    // What an orchestrator's readiness probe sees at once.
    readyAfterSignal = await fetch(`${url}/ready`).then((r) => r.status, () => undefined);
    const [code] = await exited;
    await Promise.all(clients);

    expect(code).to.equal(0);
    expect(resets, 'connections reset instead of answered').to.deep.equal([]);
    expect(readyAfterSignal).to.equal(503);
    expect(answers.filter((a) => !a.afterSignal && a.status === 200).length).to.be.greaterThan(20);
    const goAway = answers.filter((a) => a.status === 503);
    expect(goAway.length).to.be.greaterThan(0);
    for (const a of goAway) expect(a).to.include({ code: 'SHUTTING_DOWN', connection: 'close', retryAfter: '1' });
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).to.deep.equal([]);
    // Every client ended with an answer or a refused connection, none with a reset.
    expect(goAway.length + refused).to.equal(32);
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

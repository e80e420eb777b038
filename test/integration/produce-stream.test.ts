import { expect } from 'chai';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RunningGateway } from '../../src/gateway.js';
import { uniqueTopic } from '../helpers/env.js';
import { startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { streamNdjson } from '../helpers/ndjson.js';

// A gc() for the memory test (exposed at run time: the suite's node options are shared).
setFlagsFromString('--expose-gc');

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

describe('POST /produce/batch as an NDJSON stream against the real broker', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startTestGateway({ BODY_LIMIT_BYTES: '4096', NDJSON_MAX_IN_FLIGHT: '50' });
  });
  after(() => gw.shutdown());

  it('produces every line, in line order per key, and answers one result per line', async () => {
    const topic = uniqueTopic('stream-order');
    const count = 600;
    const lines = Array.from({ length: count }, (_, i) => line({ topic, key: `key-${i % 3}`, message: { i } }));
    const answer = await streamNdjson(gw.url, lines);
    expect(answer.status).to.equal(200);
    expect(answer.contentType).to.match(/^application\/x-ndjson/);
    expect(answer.ok).to.equal(count);
    expect(answer.results.map((r) => r['line']).sort((a, b) => a - b)).to.deep.equal(lines.map((_, i) => i + 1));

    const records = await readTopic(topic);
    expect(records).to.have.length(count);
    for (const key of ['key-0', 'key-1', 'key-2']) {
      const sameKey = records.filter((r) => r.key === key).sort((a, b) => a.offset - b.offset);
      const order = sameKey.map((r) => JSON.parse(r.payload).i as number);
      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
      expect(order).to.have.length(count / 3);
    }
    // Each result's partition/offset is where that very line landed.
    const byPosition = new Map(records.map((r) => [`${r.partition}:${r.offset}`, JSON.parse(r.payload).i as number]));
    for (const r of answer.results) expect(byPosition.get(`${r['partition']}:${r['offset']}`)).to.equal(r['line'] - 1);
  });

  it('fails a malformed, a refused and an over-long line alone; the other lines land', async () => {
    const topic = uniqueTopic('stream-bad-lines');
    const body = [
      line({ topic, message: { n: 1 } }),
      '{"topic": "not closed"\n',
      line({ topic, message: { n: 3 } }),
      line({ topic }),
      line({ topic, message: { big: 'x'.repeat(5000) } }),
      '\n',
      line({ topic, message: { n: 7 } }).replace('\n', '\r\n'),
    ];
    const answer = await streamNdjson(gw.url, body);
    expect(answer.status).to.equal(200);
    const byLine = new Map(answer.results.map((r) => [r['line'] as number, r]));
    expect([...byLine.keys()].sort()).to.deep.equal([1, 2, 3, 4, 5, 7]);
    expect(byLine.get(2)).to.include({ success: false, code: 'INVALID_JSON' });
    expect(byLine.get(4)).to.include({ success: false, code: 'MISSING_FIELD', field: 'message' });
    expect(byLine.get(5)).to.include({ success: false, code: 'BODY_TOO_LARGE', limit_bytes: 4096 });
    for (const ok of [1, 3, 7]) expect(byLine.get(ok)).to.include({ success: true, topic });

    const records = await readTopic(topic);
    expect(records.map((r) => JSON.parse(r.payload).n).sort()).to.deep.equal([1, 3, 7]);
  });

  it('streams 50 MB generated on the fly with a bounded in-flight window and bounded memory', async function () {
    this.timeout(300_000);
    const topic = uniqueTopic('stream-50mb');
    const filler = 'y'.repeat(1000);
    const total = 50_000; // ~1.05 KB a line: ~52 MB
    function* lines(): Generator<string> {
      for (let i = 0; i < total; i++) yield line({ topic, key: `k${i % 8}`, message: { i, filler } });
    }
    let maxInFlight = 0;
    // Body chunks are Buffers: held outside the JS heap, counted in arrayBuffers, whoever holds them.
    // Measured after a full GC, so only live buffers count, not garbage left by this or other suites.
    const gc = runInNewContext('gc') as () => void;
    gc();
    const buffersBefore = process.memoryUsage().arrayBuffers;
    let maxBuffers = buffersBefore;
    const windowSampler = setInterval(() => (maxInFlight = Math.max(maxInFlight, gw.producer.inFlight)), 2);
    const memorySampler = setInterval(() => {
      gc();
      maxBuffers = Math.max(maxBuffers, process.memoryUsage().arrayBuffers);
    }, 250);
    const answer = await streamNdjson(gw.url, lines(), { keepResults: false });
    clearInterval(windowSampler);
    clearInterval(memorySampler);
    expect(answer.bytesSent).to.be.greaterThan(50_000_000);
    expect(answer.ok).to.equal(total);
    expect(answer.failed).to.equal(0);
    // The window (NDJSON_MAX_IN_FLIGHT=50) is what bounds memory: never more handed to Kafka at once.
    expect(maxInFlight).to.be.at.most(50).and.greaterThan(0);
    // Gateway and client share this process: had the body been held, buffers would grow by 50 MB+.
    console.log(`      max in flight ${maxInFlight}, buffers grew by at most ${((maxBuffers - buffersBefore) / 2 ** 20).toFixed(1)} MiB`);
    expect(maxBuffers - buffersBefore).to.be.below(24 * 1024 * 1024);
  });

  it('refuses a compressed stream and a stream without a body', async () => {
    const gz = await fetch(`${gw.url}/produce/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' }, body: 'x' });
    expect(gz.status).to.equal(415);
    expect(await gz.json()).to.include({ code: 'UNSUPPORTED_CONTENT_ENCODING', detail: 'Content-Encoding "gzip" is not supported for NDJSON streams' });
    const empty = await fetch(`${gw.url}/produce/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '' });
    expect(empty.status).to.equal(400);
    expect(await empty.json()).to.include({ code: 'INVALID_BODY' });
  });
});

describe('an NDJSON stream while the gateway shuts down', () => {
  it('answers every line it read, then SHUTTING_DOWN for the next one, and closes', async function () {
    this.timeout(120_000);
    const gw = await startTestGateway({});
    const topic = uniqueTopic('stream-shutdown');
    let stopping: Promise<void> | undefined;
    // A slow loader: one line per 20 ms, without end; the gateway shuts down after 50 lines.
    function* lines(): Generator<string> {
      for (let i = 0; i < 100_000; i++) yield `${JSON.stringify({ topic, key: 'k', message: { i } })}\n`;
    }
    const answer = await streamNdjsonSlowly(gw.url, lines(), 20, 50, () => (stopping = gw.shutdown()));
    await stopping;
    const last = answer.results.at(-1)!;
    expect(last).to.include({ success: false, code: 'SHUTTING_DOWN' });
    const ok = answer.results.filter((r) => r['success'] === true);
    expect(ok.length).to.be.at.least(50);
    expect(ok.map((r) => r['line']).sort((a: number, b: number) => a - b)).to.deep.equal(ok.map((_, i) => i + 1));
    expect(last['line']).to.equal(ok.length + 1);
    const records = await readTopic(topic);
    expect(records).to.have.length(ok.length);
  });
});

/** Writes one line every `everyMs`; after `triggerAfter` lines calls `trigger` once; ends when the answer does. */
function streamNdjsonSlowly(url: string, lines: Iterable<string>, everyMs: number, triggerAfter: number, trigger: () => void): Promise<{ results: Array<Record<string, any>> }> {
  return new Promise((resolve, reject) => {
    const it = lines[Symbol.iterator]();
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const req = http.request(`${url}/produce/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' } });
    req.on('error', () => clearInterval(timer)); // the gateway closes the connection at the end: expected
    req.on('response', (res) => {
      const results: Array<Record<string, any>> = [];
      const rl = createInterface({ input: res, crlfDelay: Infinity });
      rl.on('line', (l) => l && results.push(JSON.parse(l)));
      rl.on('close', () => {
        clearInterval(timer);
        resolve({ results });
      });
      res.on('error', reject);
    });
    req.flushHeaders();
    timer = setInterval(() => {
      const n = it.next();
      if (n.done) return;
      req.write(n.value);
      if (++sent === triggerAfter) trigger();
    }, everyMs);
  });
}

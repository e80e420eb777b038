// CPU per call of the hot-path pieces issue 15 changed, old build against new, in one process each
// and measured with process.cpuUsage() (user+system, so a busy machine inflates both sides alike).
// Usage: npm run build && node bench/hot-path.mjs [--old dist-base] [--n 200000]
//   --old: a build of the code before the change (e.g. `git stash; npm run build; cp -r dist dist-base`)
// The logger runs in a child whose stdout is a file, as in production.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({ options: { old: { type: 'string', default: 'dist-base' }, n: { type: 'string', default: '200000' }, child: { type: 'string' }, via: { type: 'string', default: 'winston' } } });
const n = Number(opt.n);
const mod = (dist, file) => import(pathToFileURL(path.join(root, dist, file)).href);

function cpuPerCall(fn, count) {
  for (let i = 0; i < Math.min(20_000, count); i++) fn(i); // warm-up (JIT)
  const t0 = process.cpuUsage();
  for (let i = 0; i < count; i++) fn(i);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / count;
}

if (opt.child) {
  // Child: one logger, `n` access-log-like lines, then the flush the gateway does before exiting.
  // --via direct: the access log's own path (directLines, since issue 15's second session).
  const { createLogger, directLines, flushLogs } = await mod(opt.child, 'src/logging/logger.js');
  const log = opt.via === 'direct' ? directLines(createLogger('info')) : createLogger('info');
  const line = { request_id: '6c1f6a0e-2a8e-4a36-9b0e-7d8f2b1e4c11', method: 'POST', route: '/produce', status: 200, latency_ms: 1.234, topic: 'bench', count: 1, failed: 0 };
  const t0 = process.cpuUsage();
  // 20 lines per event-loop turn, as requests arrive, so buffering that works per turn is measured fairly.
  for (let i = 0; i < n; i++) {
    log.info('request', { ...line });
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
  }
  if (flushLogs) await flushLogs();
  const t = process.cpuUsage(t0);
  process.stderr.write(`${((t.user + t.system) / n).toFixed(2)}\n`);
  process.exit(0);
}

const results = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'kgate-hot-'));
for (const [label, dist, via] of [['old', opt.old, 'winston'], ['new', 'dist', 'direct']]) {
  if (!existsSync(path.join(root, dist))) throw new Error(`${dist} not found: build the old code there first`);
  const fd = openSync(path.join(dir, `${label}.log`), 'w');
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dist, '--n', String(n), '--via', via], { stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  results.push({ piece: 'access log line to a file (old: winston; new: directLines)', build: label, us_per_call: Number(r.stderr.toString().trim().split('\n').at(-1)) });
}

// Security headers: helmet() per response against the precomputed set.
const helmet = (await import('helmet')).default;
const { securityHeaders } = await mod('dist', 'src/http/middleware/security-headers.js');
const fakeReq = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} };
const noop = () => {};
for (const [label, mw] of [['old', helmet()], ['new', securityHeaders()]]) {
  const res = new http.ServerResponse(fakeReq);
  results.push({ piece: 'security headers per response', build: label, us_per_call: cpuPerCall(() => mw(fakeReq, res, noop), n) });
}

// Enrichment of a 1 KiB message.
const message = { user_id: 123, action: 'login', data: 'x'.repeat(900) };
const ctx = { requestId: '6c1f6a0e-2a8e-4a36-9b0e-7d8f2b1e4c11', receivedAt: new Date() };
for (const [label, dist] of [['old', opt.old], ['new', 'dist']]) {
  const { enrich, metadataFor } = await mod(dist, 'src/pipeline/enrich.js');
  const md = metadataFor(ctx, 'kgate');
  results.push({ piece: 'enrich 1 KiB message', build: label, us_per_call: cpuPerCall(() => enrich({ topic: 't', key: 'k', message, headers: {} }, md), n) });
  // A single-message request: its metadata (and, since issue 15's second session, its record headers) and the enrichment.
  results.push({ piece: 'metadata + enrich, one-message request', build: label, us_per_call: cpuPerCall(() => enrich({ topic: 't', key: 'k', message, headers: {} }, metadataFor(ctx, 'kgate')), n) });
}

console.log('| piece | old µs/call | new µs/call |\n|---|---|---|');
for (const piece of [...new Set(results.map((r) => r.piece))]) {
  const [o, nw] = ['old', 'new'].map((b) => results.find((r) => r.piece === piece && r.build === b).us_per_call.toFixed(2));
  console.log(`| ${piece} | ${o} | ${nw} |`);
}

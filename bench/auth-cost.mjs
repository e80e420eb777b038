// The CPU cost of authentication (issue 13; JWT: issue 21): the key check and the JWT check alone in this
// process, then the built gateway (dist/) against a running broker with one API key, with a JWT (RS256 and
// ES256, keys served by a JWKS endpoint in this process), and with authentication off, same requests.
// Usage: npm run build && KAFKA_PORT=<broker port> node bench/auth-cost.mjs [--seconds 10 --connections 64]
// Prints one JSON line per measurement; docs/benchmarks.md records results with the machine they ran on.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '64' }, auth: { type: 'boolean', default: true } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const kafkaPort = process.env.KAFKA_PORT ?? '9092';

execFileSync('bash', [path.join(root, 'scripts/kafka.sh'), 'start'], { stdio: 'inherit' });

async function startGateway(env = {}) {
  const child = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${kafkaPort}`, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Keep reading stdout for the child's whole life: a full pipe would block its logging, and so the gateway.
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = JSON.parse(line);
      if (entry.message !== 'gateway listening') return;
      resolve(entry.url);
      // From here on discard the access log unread, so parsing it costs the load generator nothing.
      lines.close();
      child.stdout.resume();
    });
    child.once('exit', () => reject(new Error('gateway did not start')));
  });
  return { child, url };
}

function load(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

const message = { user_id: 123, action: 'login', data: 'x'.repeat(900) }; // ~1 KiB record
const topic = `bench-${Date.now()}`;
const scenarios = [
  { name: 'produce-single-1KiB', path: '/produce', body: JSON.stringify({ topic, key: 'user-123', message }) },
  {
    name: 'produce-batch-100x1KiB',
    path: '/produce/batch',
    items: 100,
    body: JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ topic, key: `k${i % 10}`, message }))),
  },
];

const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.version}`;
if (values.auth) {
  await authCost();
  process.exit(0);
}

/** User+system CPU seconds of a process so far (Linux /proc; clock ticks of 10 ms). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function authCost() {
  const key = randomBytes(24).toString('hex');
  const keysFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'kgate-bench-')), 'keys.json');
  const keySha = createHash('sha256').update(key).digest('hex');
  writeFileSync(keysFile, JSON.stringify([{ name: 'bench', key_sha256: keySha, topics: [topic] }]));
  // The middleware alone, in this process: what one authenticated request costs, without HTTP and Kafka noise.
  const { KeyStore } = await import(path.join(root, 'dist/src/access/key-store.js'));
  const { authenticate } = await import(path.join(root, 'dist/src/access/authenticate.js'));
  const quiet = { info() {}, error() {} };
  const check = authenticate({ keys: KeyStore.load(keysFile, quiet), hmacToleranceS: 300, jsonParser: () => () => {} });
  const req = { headers: { authorization: `Bearer ${key}` }, get: () => undefined };
  const res = { setHeader() {} };
  const next = () => {};
  const n = 200_000;
  for (let i = 0; i < 20_000; i++) check(req, res, next);
  // CPU time, not wall time: on a busy machine the wall clock also counts other processes' turns.
  const started = process.cpuUsage();
  for (let i = 0; i < n; i++) check(req, res, next);
  const used = process.cpuUsage(started);
  const ns = ((used.user + used.system) * 1000) / n;
  if (req.identity?.name !== 'bench') throw new Error('the benchmark key was not accepted');
  console.log(JSON.stringify({ scenario: 'auth-cost middleware alone (Bearer key: SHA-256 + lookup)', machine, calls: n, cpu_us_per_request: Math.round(ns) / 1000 }));

  // JWT: an issuer's JWKS on a free port of this process, tokens of each algorithm, the verifier (jose).
  const jwks = { keys: [] };
  const tokens = {};
  for (const alg of ['RS256', 'ES256']) {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    const kid = `bench-${alg}`;
    jwks.keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
    tokens[alg] = await new SignJWT({ sub: 'bench', kgate_topics: [topic], scope: 'openid kafka:write:bench-*' })
      .setProtectedHeader({ alg, kid })
      .setIssuer('http://bench-issuer')
      .setAudience('kgate-bench')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(privateKey);
  }
  const jwksServer = createServer((_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
  await new Promise((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${jwksServer.address().port}/jwks`;
  jwksServer.unref();
  const { createJwtVerifier } = await import(path.join(root, 'dist/src/access/jwt-verifier.js'));
  const jwtSettings = {
    issuer: 'http://bench-issuer', jwksUrl, audience: ['kgate-bench'], algorithms: ['RS256', 'ES256', 'EdDSA', 'PS256'], clockSkewS: 60,
    nameClaim: 'sub', topicsClaim: 'kgate_topics', readTopicsClaim: 'kgate_read_topics', scopePrefix: 'kafka:write:', readScopePrefix: undefined, rateLimit: undefined,
  };
  const jwtCheck = authenticate({ keys: undefined, jwt: createJwtVerifier(jwtSettings, { info() {}, warn() {} }), hmacToleranceS: 300, jsonParser: () => () => {} });
  for (const alg of ['RS256', 'ES256']) {
    const jreq = { headers: { authorization: `Bearer ${tokens[alg]}` }, get: () => undefined, path: '/produce', url: '/produce' };
    const jres = { setHeader() {}, writeHead() {}, hasHeader: () => false };
    const once1 = () => new Promise((resolve, reject) => jwtCheck(jreq, jres, (err) => (err ? reject(err) : resolve())));
    const m = 20_000;
    for (let i = 0; i < 2_000; i++) await once1();
    const t0 = process.cpuUsage();
    for (let i = 0; i < m; i++) await once1();
    const u = process.cpuUsage(t0);
    if (jreq.identity?.name !== 'bench') throw new Error(`the benchmark ${alg} token was not accepted`);
    console.log(JSON.stringify({ scenario: `auth-cost middleware alone (Bearer JWT ${alg}: jose verify + claims)`, machine, calls: m, cpu_us_per_request: Math.round(((u.user + u.system) * 1000) / m) / 1000 }));
  }

  const cases = [
    { name: 'produce-single-1KiB', method: 'POST', path: '/produce', body: scenarios[0].body },
    { name: 'get-schemas (no Kafka)', method: 'GET', path: '/schemas' },
  ];
  // Off and on alternate, twice, so drift on a busy machine hits both alike.
  for (const round of [1, 2]) {
    for (const c of cases) {
      for (const auth of [false, 'key', 'RS256', 'ES256']) {
        const jwtEnv = { AUTH_JWT_JWKS_URL: jwksUrl, AUTH_JWT_ISSUER: 'http://bench-issuer', AUTH_JWT_AUDIENCE: 'kgate-bench' };
        const gw = await startGateway({ LOG_LEVEL: 'info', ...(auth === 'key' ? { AUTH_KEYS_FILE: keysFile } : auth ? jwtEnv : {}) });
        const credential = auth === 'key' ? key : auth ? tokens[auth] : undefined;
        const before = cpuSeconds(gw.child.pid);
        const r = await load({
          url: `${gw.url}${c.path}`,
          method: c.method,
          headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
          ...(c.body ? { body: c.body } : {}),
          connections,
          duration: seconds,
        });
        const cpu = cpuSeconds(gw.child.pid) - before;
        console.log(JSON.stringify({
          scenario: `auth-cost ${c.name}`, round, auth: auth === 'key' ? 'one key' : auth ? `JWT ${auth}` : 'off', machine, connections, seconds,
          requests: r.requests.total, req_per_s: Math.round(r.requests.average),
          server_cpu_us_per_req: Math.round((cpu / r.requests.total) * 1e7) / 10, non_2xx: r.non2xx,
        }));
        gw.child.kill('SIGTERM');
        await once(gw.child, 'exit');
      }
    }
  }
}


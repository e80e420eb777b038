import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRegistryClient, RegistryNotFound, RegistryUnavailable } from '../../../src/serdes/registry-client.js';
import { freePort } from '../../helpers/free-port.js';

// The client against real HTTP(S) servers on free ports: what it sends, and how it reads failures.

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function expectRejected<T extends Error>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    return err as T;
  }
  throw new Error('expected a rejection');
}

describe('serdes: registry client', () => {
  let handler: Handler = () => {};
  const seen: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  let base = '';
  before(async () => {
    base = `http://127.0.0.1:${await listen(server)}/apis/ccompat/v7`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const json = (status: number, body: unknown): Handler => (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    res.end(JSON.stringify(body));
  };

  it('asks the Confluent API paths with basic or bearer credentials', async () => {
    handler = json(200, { subject: 'o-value', version: 3, id: 9, schema: '"string"' });
    const basic = createRegistryClient({ url: base, basicAuthUserInfo: 'svc:pw', timeoutMs: 2000 });
    expect(await basic.version('o-value', 'latest')).to.deep.equal({ subject: 'o-value', version: 3, id: 9, schema: '"string"', schemaType: 'AVRO' });
    expect(seen[0]!.url).to.equal('/apis/ccompat/v7/subjects/o-value/versions/latest');
    expect(seen[0]!.headers.authorization).to.equal(`Basic ${Buffer.from('svc:pw').toString('base64')}`);
    basic.close();
    const bearer = createRegistryClient({ url: `${base}/`, bearerToken: 'tok', timeoutMs: 2000 });
    await bearer.version('a/b', 2);
    expect(seen[1]!.url).to.equal('/apis/ccompat/v7/subjects/a%2Fb/versions/2');
    expect(seen[1]!.headers.authorization).to.equal('Bearer tok');
    bearer.close();
  });

  it('40401/40402/40403 are "not found"; other failures, refusals and silence are "unavailable"', async () => {
    const client = createRegistryClient({ url: base, timeoutMs: 300 });
    handler = json(404, { error_code: 40401, message: 'Subject not found' });
    expect((await expectRejected(client.version('x', 'latest'), RegistryNotFound)).errorCode).to.equal(40401);
    handler = json(500, { error_code: 50001, message: 'boom' });
    expect((await expectRejected(client.version('x', 'latest'), RegistryUnavailable)).message).to.contain('answered 500 (50001)');
    handler = json(401, { error_code: 401, message: 'Unauthorized' });
    await expectRejected(client.version('x', 'latest'), RegistryUnavailable);
    handler = () => {}; // never answers
    const started = Date.now();
    expect((await expectRejected(client.ping(), RegistryUnavailable)).message).to.contain('no answer within 300 ms');
    expect(Date.now() - started).to.be.below(3000);
    // More calls than sockets (8): the ones waiting for a socket are bounded by the same timeout.
    const many = Date.now();
    const all = await Promise.allSettled(Array.from({ length: 20 }, () => client.ping()));
    expect(all.every((r) => r.status === 'rejected' && r.reason instanceof RegistryUnavailable)).to.equal(true);
    // At least the 12 that never had a socket were ended by the call's own deadline, not by a socket timeout.
    const byDeadline = all.filter((r) => r.status === 'rejected' && ((r.reason as Error).cause as Error | undefined)?.name === 'AbortError');
    expect(byDeadline.length).to.be.at.least(12);
    expect(Date.now() - many).to.be.below(3000);
    client.close();
    const refused = createRegistryClient({ url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1000 });
    expect((await expectRejected(refused.ping(), RegistryUnavailable)).message).to.contain('ECONNREFUSED');
    refused.close();
  });

  it('trusts an https registry through SCHEMA_REGISTRY_CA_LOCATION, and refuses it without', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kgate-sr-tls-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    try {
      ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=kgate test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
      writeSanConfig(dir);
      ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'san.cnf', '-out', 'server.pem');
      const tls = https.createServer({ key: readFileSync(path.join(dir, 'server.key')), cert: readFileSync(path.join(dir, 'server.pem')) }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('["JSON","PROTOBUF","AVRO"]');
      });
      const port = await listen(tls);
      try {
        const trusted = createRegistryClient({ url: `https://127.0.0.1:${port}`, ca: readFileSync(path.join(dir, 'ca.pem'), 'utf8'), timeoutMs: 2000 });
        await trusted.ping();
        trusted.close();
        const untrusted = createRegistryClient({ url: `https://127.0.0.1:${port}`, timeoutMs: 2000 });
        await expectRejected(untrusted.ping(), RegistryUnavailable);
        untrusted.close();
      } finally {
        tls.closeAllConnections();
        tls.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function writeSanConfig(dir: string): void {
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\n" > san.cnf'], { cwd: dir });
}

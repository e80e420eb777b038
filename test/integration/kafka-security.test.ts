import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningGateway } from '../../src/gateway.js';
import { ROOT, uniqueTopic } from '../helpers/env.js';
import { postJson, startTestGateway } from '../helpers/gateway.js';
import { readTopic } from '../helpers/kcat.js';
import { SecondBroker } from '../helpers/second-broker.js';

const USER = 'kgate';
const PASSWORD = 'kgate-secret';

/** The cluster ids GET /v3/clusters lists (REST Proxy v3; read over the gateway's own TLS/SASL settings). */
async function listedClusterIds(gw: RunningGateway): Promise<string[]> {
  const res = await fetch(`${gw.url}/v3/clusters`);
  expect(res.status).to.equal(200);
  return ((await res.json()) as { data: { cluster_id: string }[] }).data.map((c) => c.cluster_id);
}

/** The built gateway as a process: its exit code and everything it printed. */
function runBuiltGateway(env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('gateway → Kafka over TLS and SASL (a broker of its own with SASL_SSL and mTLS listeners)', function () {
  this.timeout(120_000);
  const broker = new SecondBroker('', { saslSsl: true, mtls: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'kgate-security-'));
  let secure: Record<string, string>;

  before(async () => {
    await broker.start();
    secure = {
      KAFKA_BOOTSTRAP_SERVERS: broker.saslSslBootstrap,
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: USER,
      KAFKA_SASL_PASSWORD: PASSWORD,
      KAFKA_SSL_CA_LOCATION: broker.caLocation,
    };
  });
  after(async () => {
    await broker.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('with the right credentials', () => {
    let gw: RunningGateway;
    before(async () => {
      gw = await startTestGateway({ ...secure, KAFKA_RDKAFKA_SOCKET_KEEPALIVE_ENABLE: 'true', KAFKA_RDKAFKA_SSL_KEYSTORE_PASSWORD: 'not-shown' });
    });
    after(async () => gw?.shutdown());

    it('produces with SCRAM-SHA-256 over TLS, and the record is in the topic (read back by kcat over SASL_SSL)', async () => {
      const topic = uniqueTopic('sasl-ssl');
      const res = await postJson(`${gw.url}/produce`, { topic, message: { secured: true } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      // kcat's own librdkafka (Debian 2.0.2) fails SCRAM against Kafka 4.1 (measured), so it reads over
      // the same TLS listener with PLAIN: an independent client, through TLS, proving the write.
      const records = await readTopic(topic, broker.saslSslBootstrap, {
        'security.protocol': 'SASL_SSL',
        'sasl.mechanisms': 'PLAIN',
        'sasl.username': USER,
        'sasl.password': PASSWORD,
        'ssl.ca.location': broker.caLocation,
      });
      expect(records).to.have.length(1);
      expect(JSON.parse(records[0]!.payload)).to.deep.include({ secured: true });
      expect(records[0]!.offset).to.equal(res.body.offset);
    });

    it('GET /v3/clusters names the broker\'s own cluster id, read over SASL_SSL with SCRAM-SHA-256', async () => {
      expect(await listedClusterIds(gw)).to.deep.equal([broker.clusterId()]);
      const one = await fetch(`${gw.url}/v3/clusters/${broker.clusterId()}`);
      expect(one.status).to.equal(200);
    });

    it('/kafka-status and / show the protocol and mechanism, never a password', async () => {
      const status = await (await fetch(`${gw.url}/kafka-status`)).json() as { status: string; producer_config: Record<string, unknown> };
      expect(status.status).to.equal('connected');
      expect(status.producer_config).to.include({ security_protocol: 'sasl_ssl', sasl_mechanism: 'SCRAM-SHA-256', ssl_endpoint_identification: 'https' });
      expect(status.producer_config['rdkafka']).to.deep.equal({ 'socket.keepalive.enable': 'true', 'ssl.keystore.password': '[redacted]' });
      for (const route of ['/kafka-status', '/', '/health']) {
        const text = await (await fetch(`${gw.url}${route}`)).text();
        expect(text, route).not.to.contain(PASSWORD);
        expect(text, route).not.to.contain('not-shown');
      }
    });
  });

  it('SCRAM-SHA-512 with the password from KAFKA_SASL_PASSWORD_FILE', async () => {
    const file = path.join(dir, 'password');
    writeFileSync(file, `${PASSWORD}\n`);
    const { KAFKA_SASL_PASSWORD: _, ...rest } = secure;
    const gw = await startTestGateway({ ...rest, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_PASSWORD_FILE: file });
    try {
      const res = await postJson(`${gw.url}/produce`, { topic: uniqueTopic('sasl-512'), message: { a: 1 } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(await listedClusterIds(gw), 'cluster id over SCRAM-SHA-512').to.deep.equal([broker.clusterId()]);
    } finally {
      await gw.shutdown();
    }
  });

  it('mTLS: produces with a client certificate and its encrypted key (passphrase from a file), read back by kcat over mTLS', async () => {
    const keyPassword = path.join(dir, 'key-password');
    writeFileSync(keyPassword, 'kgate-client-key\n');
    const gw = await startTestGateway({
      KAFKA_BOOTSTRAP_SERVERS: broker.mtlsBootstrap,
      KAFKA_SECURITY_PROTOCOL: 'ssl',
      KAFKA_SSL_CA_LOCATION: broker.caLocation,
      KAFKA_SSL_CERTIFICATE_LOCATION: broker.tlsFile('client.pem'),
      KAFKA_SSL_KEY_LOCATION: broker.tlsFile('client-encrypted.key'),
      KAFKA_SSL_KEY_PASSWORD_FILE: keyPassword,
    });
    try {
      const topic = uniqueTopic('mtls');
      const res = await postJson(`${gw.url}/produce`, { topic, message: { mtls: true } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const status = await (await fetch(`${gw.url}/kafka-status`)).json() as { producer_config: Record<string, unknown> };
      expect(status.producer_config).to.include({ security_protocol: 'ssl', ssl_client_certificate: true });
      expect(JSON.stringify(status)).not.to.contain('kgate-client-key');
      const records = await readTopic(topic, broker.mtlsBootstrap, {
        'security.protocol': 'SSL',
        'ssl.ca.location': broker.caLocation,
        'ssl.certificate.location': broker.tlsFile('client.pem'),
        'ssl.key.location': broker.tlsFile('client.key'),
      });
      expect(records.map((r) => JSON.parse(r.payload).mtls)).to.deep.equal([true]);
      expect(await listedClusterIds(gw), 'cluster id over mTLS with the encrypted key').to.deep.equal([broker.clusterId()]);
    } finally {
      await gw.shutdown();
    }
  });

  it('an unknown KAFKA_RDKAFKA_ property stops start-up naming the variable', async () => {
    const err = await startTestGateway({ KAFKA_RDKAFKA_NO_SUCH_PROPERTY: '1' }).then(
      () => expect.fail('started with an unknown librdkafka property'),
      (e: Error) => e,
    );
    expect(err.message).to.contain('KAFKA_RDKAFKA_NO_SUCH_PROPERTY').and.to.contain('no.such.property');
  });

  // The connect timeout is 30 s; these tests' own timeout is shorter, so a start-up that waited for
  // it (librdkafka retries authentication forever) would fail them.
  it('a wrong password stops start-up at once, naming KAFKA_SASL_PASSWORD', async function () {
    this.timeout(20_000);
    const err = await startTestGateway({ ...secure, KAFKA_SASL_PASSWORD: 'wrong-password' }).then(
      () => expect.fail('started with a wrong password'),
      (e: Error) => e,
    );
    expect(err.name).to.equal('KafkaStartupError');
    expect(err.message).to.contain('authentication failed').and.to.contain('KAFKA_SASL_PASSWORD');
    expect(err.message).not.to.contain('wrong-password');
  });

  it('a CA that did not sign the broker certificate stops start-up at once, naming KAFKA_SSL_CA_LOCATION', async function () {
    this.timeout(20_000);
    const otherCa = path.join(dir, 'other-ca.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=other CA', '-keyout', path.join(dir, 'other-ca.key'), '-out', otherCa], { stdio: 'ignore' });
    const err = await startTestGateway({ ...secure, KAFKA_SSL_CA_LOCATION: otherCa }).then(
      () => expect.fail('started with a CA that does not trust the broker'),
      (e: Error) => e,
    );
    expect(err.name).to.equal('KafkaStartupError');
    expect(err.message).to.contain('TLS handshake').and.to.contain('KAFKA_SSL_CA_LOCATION');
  });

  it('mTLS without a client certificate stops start-up at once, naming the client certificate settings', async function () {
    this.timeout(20_000);
    const err = await startTestGateway({ KAFKA_BOOTSTRAP_SERVERS: broker.mtlsBootstrap, KAFKA_SECURITY_PROTOCOL: 'ssl', KAFKA_SSL_CA_LOCATION: broker.caLocation }).then(
      () => expect.fail('started without the client certificate the broker requires'),
      (e: Error) => e,
    );
    expect(err.name, err.message).to.equal('KafkaStartupError');
    expect(err.message).to.contain('refused the TLS client certificate').and.to.contain('KAFKA_SSL_CERTIFICATE_LOCATION');
  });

  it('the built gateway with a wrong password exits 1 with a message naming the setting, and prints no password', async function () {
    this.timeout(30_000);
    const { code, output } = await runBuiltGateway({ ...secure, KAFKA_SASL_PASSWORD: 'wrong-password' }, 25_000);
    expect(code, output).to.equal(1);
    expect(output).to.contain('KAFKA_SASL_PASSWORD');
    expect(output).not.to.contain('wrong-password');
    expect(output).not.to.match(/\n\s+at .+:\d+:\d+/);
  });
});

import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { bootstrap, ROOT, uniqueTopic } from '../helpers/env.js';
import { postJson } from '../helpers/gateway.js';
import { registerGatewayDocument } from '../helpers/openapi-check.js';
import { newKey, sha256Hex, writeKeysFile } from '../helpers/keys-file.js';

/** Waits for a log line of the built gateway (dist/, made by `npm test`'s build). */
function nextLog(lines: ReturnType<typeof createInterface>, message: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onLine = (line: string) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (entry['message'] !== message) return;
      lines.off('line', onLine);
      resolve(entry);
    };
    lines.on('line', onLine);
  });
}

describe('SIGHUP re-reads the keys file (built gateway in a child process)', () => {
  let child: ChildProcess | undefined;
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('a revoked key stops working after SIGHUP, without a restart', async () => {
    const kept = newKey();
    const revoked = newKey();
    const topic = uniqueTopic('hup');
    const entry = (name: string, key: string) => ({ name, key_sha256: sha256Hex(key), topics: [topic] });
    const file = writeKeysFile([entry('kept', kept), entry('revoked', revoked)]);
    child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', KAFKA_BOOTSTRAP_SERVERS: bootstrap(), AUTH_KEYS_FILE: file, ACCESS_LOG: 'false' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const authOn = nextLog(lines, 'authentication on');
    const url = (await nextLog(lines, 'gateway listening'))['url'] as string;
    // Its answers are checked against its own document (auth on), not one an earlier gateway on this port served.
    await registerGatewayDocument(url);
    expect((await authOn)['clients']).to.equal(2);
    expect((await postJson(`${url}/produce`, { topic, message: 1 }, { 'x-api-key': revoked })).status).to.equal(200);

    writeKeysFile([entry('kept', kept)], file);
    const reloaded = nextLog(lines, 'keys file reloaded');
    child.kill('SIGHUP');
    expect((await reloaded)['clients']).to.equal(1);
    const res = await postJson(`${url}/produce`, { topic, message: 2 }, { 'x-api-key': revoked });
    expect(res.status).to.equal(401);
    expect((await postJson(`${url}/produce`, { topic, message: 3 }, { 'x-api-key': kept })).status).to.equal(200);
    expect(child.exitCode).to.equal(null);
  });
});

// Servers under the bench: each a fresh process on a free port, stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitReady(url, pathName, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}${pathName}`);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

/**
 * kind: 'kgate' (dist/src/main.js with the Node flags of npm start), 'bare' / 'bare-headers'
 * (bench/bare-gateway.mjs), 'raw' or 'express'. The gateways' stdout (their logs) goes to
 * `logFile`, a real file, as in production.
 */
export async function startServer(kind, { root, nodeFlags = [], profArgs = [], bootstrap, schemaDir, logFile, env = {}, dist = 'dist' }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child;
  if (kind === 'kgate' || kind.startsWith('bare')) {
    const fd = openSync(logFile, 'a');
    const args = kind === 'kgate'
      ? [...nodeFlags, ...profArgs, path.join(root, dist, 'src/main.js')]
      : [...nodeFlags, ...profArgs, path.join(root, 'bench/bare-gateway.mjs'), String(port), bootstrap, ...(kind === 'bare-headers' ? ['--headers'] : [])];
    child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', KAFKA_BOOTSTRAP_SERVERS: bootstrap, SCHEMA_DIR: schemaDir, ...env },
      stdio: ['ignore', fd, kind === 'kgate' ? 'inherit' : 'ignore'],
    });
    closeSync(fd);
    await waitReady(url, kind === 'kgate' ? '/ready' : '/', child);
  } else {
    const script = kind === 'raw' ? 'bench/raw-http.mjs' : 'bench/express-hello.mjs';
    child = spawn(process.execPath, [path.join(root, script), String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitReady(url, '/', child);
  }
  return { child, url, pid: child.pid, logFile };
}

export async function stopServer(server) {
  server.child.kill('SIGTERM');
  if (server.child.exitCode === null) await once(server.child, 'exit');
}

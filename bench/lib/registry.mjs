// A schema registry for the bench's registry scenarios: Apicurio Registry 3.0.9 (scripts/schema-registry.sh,
// fetched once and cached), on a free port, its own home under .kafka/bench-registry; stopped at the end.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from './servers.mjs';

export async function startBenchRegistry(root) {
  const port = await freePort();
  const env = { ...process.env, REGISTRY_HOME_DIR: path.join(root, '.kafka', 'bench-registry'), REGISTRY_PORT: String(port) };
  const script = path.join(root, 'scripts/schema-registry.sh');
  execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
  return {
    url,
    async register(subject, schema, schemaType) {
      const res = await fetch(`${url}/subjects/${encodeURIComponent(subject)}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: JSON.stringify(schema), ...(schemaType ? { schemaType } : {}) }),
      });
      if (!res.ok) throw new Error(`registering ${subject}: ${res.status} ${await res.text()}`);
    },
    stop: () => execFileSync('bash', [script, 'stop'], { stdio: 'ignore', env }),
  };
}

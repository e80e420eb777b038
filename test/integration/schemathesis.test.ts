import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { bootstrap, ROOT } from '../helpers/env.js';

const run = promisify(execFile);

// schemathesis (scripts/schemathesis.sh) against the built gateway and the shared test broker, with
// authentication off and on: no 5xx,
// and every status, content type, header and body as GET /openapi.json says. The script is the
// test; this runs it in `npm test` and shows its summary.
describe('schemathesis against the gateway and its OpenAPI document', () => {
  it('finds no server error and no answer that breaks the document', async function () {
    this.timeout(15 * 60_000);
    let output: string;
    try {
      const { stdout, stderr } = await run('bash', [path.join(ROOT, 'scripts/schemathesis.sh')], {
        env: { ...process.env, SCHEMATHESIS_BOOTSTRAP: bootstrap() },
        maxBuffer: 64 * 1024 * 1024,
      });
      output = stdout + stderr;
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      throw new Error(`scripts/schemathesis.sh failed:\n${(stdout + stderr).slice(-20_000)}`);
    }
    // One summary line per mode: open (./run.sh's defaults), auth (a keys file, the key sent with -H) and
    // jwt (the test OIDC issuer, a token sent with -H).
    const summaries = [...output.matchAll(/mode (\w+): schemathesis: (\d+) cases, (\d+) checks, (\d+) failed.*/g)];
    expect(summaries.map((m) => m[1]), output.slice(-4000)).to.deep.equal(['open', 'auth', 'jwt']);
    for (const summary of summaries) {
      console.log(`      ${summary[0]}`);
      expect(Number(summary[2]), summary[0]).to.be.greaterThan(100);
      expect(Number(summary[4]), summary[0]).to.equal(0);
    }
  });
});

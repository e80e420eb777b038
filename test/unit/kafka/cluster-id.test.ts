import { expect } from 'chai';
import { ClusterIdReader } from '../../../src/kafka/cluster-id.js';
import type { Logger } from '../../../src/logging/logger.js';

function recordingLog() {
  const lines: { level: string; message: string; meta: Record<string, unknown> }[] = [];
  const log = {
    info: (message: string, meta: Record<string, unknown> = {}) => void lines.push({ level: 'info', message, meta }),
    warn: (message: string, meta: Record<string, unknown> = {}) => void lines.push({ level: 'warn', message, meta }),
  } as unknown as Pick<Logger, 'info' | 'warn'>;
  return Object.assign(log, { lines });
}

describe('kafka/cluster-id: ClusterIdReader (read in the background, again on a request while unknown)', () => {
  it('read at start: known() once the read is done, with no further fetch', async () => {
    let fetches = 0;
    const reader = new ClusterIdReader(async () => (fetches++, 'abc-123'), recordingLog(), {}).start();
    expect(reader.known()).to.equal(undefined);
    expect(await reader.read()).to.equal('abc-123');
    expect(await reader.read()).to.equal('abc-123');
    expect(reader.known()).to.equal('abc-123');
    expect(fetches).to.equal(1);
  });

  it('requests during the read in flight wait for that one read', async () => {
    let fetches = 0;
    let answer!: (id: string) => void;
    const reader = new ClusterIdReader(() => (fetches++, new Promise<string>((r) => (answer = r))), recordingLog(), {}).start();
    const waiting = [reader.read(), reader.read()];
    answer('c1');
    expect(await Promise.all(waiting)).to.deep.equal(['c1', 'c1']);
    expect(fetches).to.equal(1);
  });

  it('a failure is a warning naming why and the connection kind; tried again only after the retry interval', async () => {
    let now = 1_000_000;
    let fail = true;
    let fetches = 0;
    const log = recordingLog();
    const reader = new ClusterIdReader(
      async () => {
        fetches++;
        if (fail) throw new Error('SASL SCRAM SHA256 authentication failed');
        return 'c2';
      },
      log,
      { security_protocol: 'sasl_ssl', sasl_mechanism: 'SCRAM-SHA-256' },
      30_000,
      () => now,
    ).start();
    expect(await reader.read()).to.equal(undefined);
    expect(log.lines).to.have.length(1);
    expect(log.lines[0]).to.deep.include({ level: 'warn' });
    expect(log.lines[0]!.message).to.contain('cluster id could not be read');
    expect(log.lines[0]!.meta).to.deep.include({ problem: 'SASL SCRAM SHA256 authentication failed', security_protocol: 'sasl_ssl', sasl_mechanism: 'SCRAM-SHA-256', failures: 1 });
    now += 29_999;
    expect(await reader.read()).to.equal(undefined);
    expect(fetches, 'no new read within the interval').to.equal(1);
    fail = false;
    now += 1;
    expect(await reader.read()).to.equal('c2');
    expect(fetches).to.equal(2);
    expect(log.lines[1]).to.deep.include({ level: 'info' });
    expect(log.lines[1]!.meta).to.deep.include({ cluster_id: 'c2', failures: 1 });
  });

  it('a broker that names no cluster id counts as a failure (no empty id listed)', async () => {
    const log = recordingLog();
    const reader = new ClusterIdReader(async () => undefined, log, {}).start();
    expect(await reader.read()).to.equal(undefined);
    expect(reader.known()).to.equal(undefined);
    expect(log.lines[0]!.meta['problem']).to.equal('the broker named no cluster id');
  });
});

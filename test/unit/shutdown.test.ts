import { expect } from 'chai';
import { createLifecycle, EXIT_KAFKA_FATAL, EXIT_OK, EXIT_SHUTDOWN_FAILED } from '../../src/shutdown.js';

const quiet = { info: () => quiet, error: () => quiet } as never;

function lifecycle(shutdown: () => Promise<void>) {
  const exits: number[] = [];
  const calls = { shutdown: 0 };
  const lc = createLifecycle({
    shutdown: () => {
      calls.shutdown++;
      return shutdown();
    },
    log: quiet,
    exit: (code) => exits.push(code),
  });
  return { lc, exits, calls };
}

describe('process lifecycle', () => {
  it('a signal drains, then exits 0', async () => {
    const { lc, exits, calls } = lifecycle(async () => {});
    await lc.onSignal('SIGTERM');
    expect(calls.shutdown).to.equal(1);
    expect(exits).to.deep.equal([EXIT_OK]);
  });

  it('a fatal producer error drains too, then exits non-zero so an orchestrator restarts the gateway', async () => {
    const { lc, exits, calls } = lifecycle(async () => {});
    await lc.onFatal(new Error('Fatal idempotent producer error'));
    expect(calls.shutdown).to.equal(1);
    expect(exits).to.deep.equal([EXIT_KAFKA_FATAL]);
    expect(EXIT_KAFKA_FATAL).not.to.equal(EXIT_OK);
  });

  it('drains once: a signal during a fatal drain does not start a second one, and the fatal code wins', async () => {
    let finish!: () => void;
    const { lc, exits, calls } = lifecycle(() => new Promise<void>((r) => (finish = r)));
    const fatal = lc.onFatal(new Error('fatal'));
    const signal = lc.onSignal('SIGTERM');
    finish();
    await Promise.all([fatal, signal]);
    expect(calls.shutdown).to.equal(1);
    expect(exits).to.deep.equal([EXIT_KAFKA_FATAL]);
  });

  it('a failed drain exits non-zero', async () => {
    const { lc, exits } = lifecycle(() => Promise.reject(new Error('flush failed')));
    await lc.onSignal('SIGTERM');
    expect(exits).to.deep.equal([EXIT_SHUTDOWN_FAILED]);
  });
});

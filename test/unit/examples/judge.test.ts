import { expect } from 'chai';
import { judge, passes } from '../../../examples/worker/judge.js';

describe('examples/worker judge (seed 004 rule)', () => {
  it('passes code of at least 10 characters with a digit', () => {
    expect(passes('print(42);')).to.equal(true);
    expect(passes('print(4)')).to.equal(false); // 8 characters
    expect(passes('print("hello")')).to.equal(false); // no digit
  });

  it('fills output or error_output, with time in seconds and memory in KB', () => {
    const ok = judge('print(1 + 41)', 'python', 1234);
    expect(ok).to.include({ status: 'PASSED', error_output: '', execution_time: 1.234 });
    expect(ok.output).to.not.equal('');
    const bad = judge('x', 'python', 10);
    expect(bad.status).to.equal('FAILED');
    expect(bad.error_output).to.match(/at least 10 characters/);
  });
});

import { expect } from 'chai';
import { hasOwnTraceHeaders, isValidTraceparent, parentIdOf, readTraceParent, traceIdOf } from '../../../src/tracing/trace-context.js';
import { propagationOnly } from '../../../src/tracing/tracing.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('W3C trace context (src/tracing/trace-context.ts)', () => {
  it('accepts the specification example and reads its ids', () => {
    expect(isValidTraceparent(TP)).to.equal(true);
    expect(traceIdOf(TP)).to.equal('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parentIdOf(TP)).to.equal('00f067aa0ba902b7');
    expect(readTraceParent(TP, 'rojo=00f067aa0ba902b7')).to.deep.equal({ traceparent: TP, tracestate: 'rojo=00f067aa0ba902b7' });
  });

  for (const bad of [
    '',
    TP.toUpperCase(),
    TP.replace('4bf92f3577b34da6a3ce929d0e0e4736', '0'.repeat(32)),
    TP.replace('00f067aa0ba902b7', '0'.repeat(16)),
    TP.replace(/^00/, 'ff'),
    TP.replace(/^00/, '01'),
    `${TP}-extra`,
    ` ${TP}`,
    TP.slice(0, -1),
    `${TP}, ${TP}`,
  ]) {
    it(`ignores ${JSON.stringify(bad)}`, () => {
      expect(isValidTraceparent(bad)).to.equal(false);
      expect(readTraceParent(bad, 'a=b')).to.equal(undefined);
    });
  }

  it('keeps tracestate only beside a valid traceparent, and only when printable and within 512 characters', () => {
    expect(readTraceParent(undefined, 'a=b')).to.equal(undefined);
    expect(readTraceParent(TP, 'x'.repeat(513))!.tracestate).to.equal(undefined);
    expect(readTraceParent(TP, 'a=b\u0000')!.tracestate).to.equal(undefined);
    expect(readTraceParent(TP, ['a=b', 'c=d'])!.tracestate).to.equal(undefined);
    expect(readTraceParent([TP, TP], undefined)).to.equal(undefined);
  });

  it('tells an item that names its own trace context', () => {
    expect(hasOwnTraceHeaders({ traceparent: TP })).to.equal(true);
    expect(hasOwnTraceHeaders({ tracestate: 'a=b' })).to.equal(true);
    expect(hasOwnTraceHeaders({ other: 'x' })).to.equal(false);
  });

  it('with tracing off: the request trace is the incoming one, without spans', () => {
    expect(propagationOnly.enabled).to.equal(false);
    expect(propagationOnly.startRequest('POST', TP, undefined, 'r')).to.deep.equal({ traceparent: TP, tracestate: undefined, traceId: traceIdOf(TP), spans: undefined });
    expect(propagationOnly.startRequest('POST', undefined, 'a=b', 'r')).to.equal(undefined);
  });
});

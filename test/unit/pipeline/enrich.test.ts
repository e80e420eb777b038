import { expect } from 'chai';
import { enrich, metadataFor } from '../../../src/pipeline/enrich.js';

describe('enrich', () => {
  const ctx = { requestId: 'r-1', receivedAt: new Date('2026-01-02T03:04:05.678Z') };
  const metadata = metadataFor(ctx, 'src');

  it('adds timestamp, source, server_time and request_id to an object message', () => {
    const { body } = enrich({ topic: 't', message: { a: 1 }, headers: {} }, metadata);
    expect(body).to.deep.equal({ a: 1, timestamp: '2026-01-02T03:04:05.678Z', source: 'src', server_time: 1767323045.678, request_id: 'r-1' });
  });

  it('keeps fields the producer sent', () => {
    const { body } = enrich({ topic: 't', message: { source: 'mine', timestamp: 'then' }, headers: {} }, metadata);
    expect(body).to.include({ source: 'mine', timestamp: 'then', request_id: 'r-1' });
  });

  it('does not mutate the message, and leaves arrays and scalars as they are', () => {
    const message = { a: 1 };
    enrich({ topic: 't', message, headers: {} }, metadata);
    expect(message).to.deep.equal({ a: 1 });
    expect(enrich({ topic: 't', message: [1, 2], headers: {} }, metadata).body).to.deep.equal([1, 2]);
    expect(enrich({ topic: 't', message: 7, headers: {} }, metadata).body).to.equal(7);
  });

  it('puts the client headers first and the gateway metadata under kgate- after them', () => {
    const { headers } = enrich({ topic: 't', message: 1, headers: { trace: 'x' } }, metadata);
    expect(headers).to.deep.equal([
      { trace: 'x' },
      { 'kgate-request-id': 'r-1' },
      { 'kgate-source': 'src' },
      { 'kgate-timestamp': '2026-01-02T03:04:05.678Z' },
      { 'kgate-server-time': '1767323045.678' },
    ]);
  });
});

describe('enrich: W3C trace context headers', () => {
  const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const OWN = '00-11111111111111111111111111111111-2222222222222222-01';
  const trace = { traceparent: TP, tracestate: 'a=b', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };
  const metadata = metadataFor({ requestId: 'r-1', receivedAt: new Date(0), trace }, 'src');

  it('adds the request traceparent and tracestate after the gateway headers', () => {
    const { headers } = enrich({ topic: 't', message: 1, headers: {} }, metadata);
    expect(headers.slice(-2)).to.deep.equal([{ traceparent: TP }, { tracestate: 'a=b' }]);
  });

  it('an item with its own traceparent keeps it, once, without the request trace headers', () => {
    const { headers } = enrich({ topic: 't', message: 1, headers: { traceparent: OWN } }, metadata);
    expect(headers.filter((h) => 'traceparent' in h)).to.deep.equal([{ traceparent: OWN }]);
    expect(headers.filter((h) => 'tracestate' in h)).to.deep.equal([]);
  });

  it('adds nothing without a trace context', () => {
    const { headers } = enrich({ topic: 't', message: 1, headers: { x: 'y' } }, metadataFor({ requestId: 'r', receivedAt: new Date(0) }, 'src'));
    expect(headers.some((h) => 'traceparent' in h || 'tracestate' in h)).to.equal(false);
  });
});

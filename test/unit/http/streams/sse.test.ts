import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { openSse } from '../../../../src/http/streams/sse.js';

/** Just enough of a response: records writes, and a backlog the test sets. */
class FakeResponse extends EventEmitter {
  headers: Record<string, string> = {};
  chunks: string[] = [];
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  socket = null;
  status() {
    return this;
  }
  setHeader(k: string, v: string) {
    this.headers[k.toLowerCase()] = v;
  }
  flushHeaders() {}
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
}

describe('openSse', () => {
  it('writes data events and comments, and reports close once', () => {
    const res = new FakeResponse();
    let closes = 0;
    const sse = openSse(res as unknown as Response, { heartbeatMs: 60_000, maxBufferBytes: 1000, onClose: () => closes++ });
    expect(res.headers['content-type']).to.match(/^text\/event-stream/);
    expect(sse.send('{"a":1}')).to.equal(true);
    sse.comment('hello\nworld');
    expect(res.chunks).to.deep.equal(['data: {"a":1}\n\n', ': hello world\n\n']);
    sse.close();
    sse.close();
    expect(closes).to.equal(1);
    expect(sse.send('x')).to.equal(false);
  });

  it('drops a client whose backlog passed the bound instead of buffering more', () => {
    const res = new FakeResponse();
    let closed = false;
    const sse = openSse(res as unknown as Response, { heartbeatMs: 60_000, maxBufferBytes: 1000, onClose: () => (closed = true) });
    res.writableLength = 1001;
    expect(sse.send('{"b":2}')).to.equal(false);
    expect(res.destroyed).to.equal(true);
    expect(closed).to.equal(true);
    expect(res.chunks).to.deep.equal([]);
  });
});

import type { Response } from 'express';

export interface SseOptions {
  heartbeatMs: number;
  /** Bytes waiting in the socket beyond which the client is dropped as too slow. */
  maxBufferBytes: number;
  /** Called once when the stream ends, whoever ended it. */
  onClose: () => void;
}

export interface SseStream {
  /** Writes one `data:` event; false when the stream is closed (or was just dropped as too slow). */
  send(data: string): boolean;
  /** A comment line: ignored by EventSource, seen by curl. */
  comment(text: string): void;
  close(): void;
  readonly closed: boolean;
}

/**
 * Turns a response into a Server-Sent Events stream: headers flushed at once, a heartbeat comment
 * so proxies and clients see a live connection, and a client that does not read dropped once its
 * backlog passes the bound, rather than buffered without end.
 */
export function openSse(res: Response, o: SseOptions): SseStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  // Tells nginx-like proxies not to buffer the stream.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  let closed = false;
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), o.heartbeatMs);
  heartbeat.unref();

  function finish(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    o.onClose();
  }

  function write(chunk: string): boolean {
    if (closed) return false;
    if (res.writableLength > o.maxBufferBytes) {
      // Too slow: its backlog would only grow. Destroy rather than end, so nothing more queues.
      res.destroy();
      finish();
      return false;
    }
    res.write(chunk);
    return true;
  }

  res.on('close', finish);
  return {
    send: (data) => write(`data: ${data}\n\n`),
    comment: (text) => void write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`),
    close() {
      if (closed) return;
      res.end();
      finish();
    },
    get closed() {
      return closed;
    },
  };
}

/** A Server-Sent Events client for tests: fetch with a streaming body, `data:` events parsed as JSON. */
export interface SseClient {
  status: number;
  headers: Headers;
  /** The body of an error answer (non-200). */
  body?: any;
  /** The next event's data (JSON-parsed), or undefined when the stream ended; rejects after timeoutMs. */
  next(timeoutMs?: number): Promise<any>;
  /** Comment lines seen so far (heartbeats, tail notes). */
  comments: string[];
  /** True once the server ended the stream. */
  readonly ended: boolean;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream', ...headers } });
  const comments: string[] = [];
  if (res.status !== 200) {
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, next: async () => undefined, comments, ended: true, close: () => {} };
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const queue: any[] = [];
  const waiters: Array<(v: any) => void> = [];
  let buffer = '';
  let ended = false;
  const deliver = (v: any) => {
    const w = waiters.shift();
    if (w) w(v);
    else queue.push(v);
  };
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          for (const l of block.split('\n')) if (l.startsWith(': ')) comments.push(l.slice(2));
          if (data) deliver(JSON.parse(data));
        }
      }
    } catch {
      // aborted
    }
    ended = true;
    while (waiters.length) waiters.shift()!(undefined);
  })();
  return {
    status: res.status,
    headers: res.headers,
    comments,
    get ended() {
      return ended;
    },
    next(timeoutMs = 10_000) {
      if (queue.length) return Promise.resolve(queue.shift());
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no SSE event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((v) => {
          clearTimeout(timer);
          resolve(v);
        });
      });
    },
    close: () => abort.abort(),
  };
}

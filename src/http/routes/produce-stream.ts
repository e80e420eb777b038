import type { Request, Response } from 'express';
import type { Limits, NdjsonSettings } from '../../config/config.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { hasBody } from '../../shared/http-body.js';
import type { Normalise, Pipeline } from '../../pipeline/pipeline.js';
import type { ItemOutcome } from '../../pipeline/types.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ProduceSummary } from '../middleware/access-log.js';
import type { DrainState } from '../middleware/draining.js';
import { ndjsonLines } from '../ndjson-lines.js';
import { itemResult } from './produce-answers.js';

export const NDJSON_TYPE = 'application/x-ndjson';
const MAX_TOPICS_LOGGED = 10;

export interface ProduceStreamDeps {
  pipeline: Pipeline;
  limits: Limits;
  ndjson: NdjsonSettings;
  drain?: DrainState | undefined;
}

type StreamHandler = (req: Request, res: Response, ctx: RequestContext) => Promise<void>;

/** What a dialect changes of the stream (REST Proxy v3's streaming records): its items, its result lines. */
export interface StreamShape {
  /** The pipeline's normalise stage for one parsed line (default: a /produce item). */
  normalise?: Normalise;
  /** What goes to the pipeline for a parsed line (default: the line's JSON itself). */
  wrap?: (parsed: unknown) => unknown;
  /** One result line for a line that reached the pipeline; `item` is the parsed line. */
  result(outcome: ItemOutcome, line: number, item: unknown): Record<string, unknown>;
  /** One result line for a line refused before the pipeline (too long, not JSON, shutting down). */
  failed(error: GatewayError, line: number): Record<string, unknown>;
}

const OWN_SHAPE: StreamShape = {
  result: (outcome, line) => itemResult(outcome, line, 'line'),
  failed: (error, line) => ({ line, success: false, ...error.toJSON() }),
};

/**
 * POST /produce/batch with Content-Type application/x-ndjson (Confluent REST Proxy v3's streaming
 * mode): one produce item per line, produced as the lines arrive, one NDJSON result per line
 * streamed back in the order the broker acknowledges them, each naming its line. Memory is bounded
 * whatever the body's length: at most `maxInFlight` items and `maxInFlightBytes` bytes are handed to
 * the pipeline and not yet answered; while the window is full the request is not read, so TCP
 * pushes back on the client (and a slow broker or a slow reader of the answer slows the client
 * down instead of filling memory). A bad line (not JSON, too long, refused by the pipeline) fails
 * that line only. Items go to the pipeline in line order, so records with one key keep it.
 */
export function createProduceStream(deps: ProduceStreamDeps, shapeFor: (req: Request) => StreamShape = () => OWN_SHAPE): StreamHandler {
  let open = 0;
  return async (req, res, ctx) => {
    if (open >= deps.ndjson.maxOpen) {
      throw new GatewayError('TOO_MANY_NDJSON_STREAMS', `at most ${deps.ndjson.maxOpen} NDJSON streams may be open at once`, { info: { limit: deps.ndjson.maxOpen } });
    }
    if (!hasBody(req)) throw new GatewayError('INVALID_BODY', 'an NDJSON request body is required');
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      throw new GatewayError('UNSUPPORTED_CONTENT_ENCODING', `Content-Encoding "${encoding}" is not supported for NDJSON streams`);
    }
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new GatewayError('UNSUPPORTED_ENCODING', 'NDJSON streams must be UTF-8');
    open++;
    try {
      await runStream(deps, req, res, ctx, shapeFor(req));
    } finally {
      open--;
    }
  };
}

async function runStream(deps: ProduceStreamDeps, req: Request, res: Response, baseCtx: RequestContext, shape: StreamShape): Promise<void> {
  const { maxInFlight, maxInFlightBytes } = deps.ndjson;
  const summary: ProduceSummary = { topics: [], count: 0, failed: 0 };
  res.locals['produce'] = summary;
  res.status(200).setHeader('Content-Type', `${NDJSON_TYPE}; charset=utf-8`);
  res.flushHeaders();

  let inFlight = 0;
  let inFlightBytes = 0;
  let closed = false;
  let blocked = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  res.on('close', () => {
    closed = true;
    notify();
  });
  res.on('drain', () => {
    blocked = false;
    notify();
  });

  // Results that settle in one turn of the event loop go out in one write.
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '' || closed) return;
    const text = pending;
    pending = '';
    if (!res.write(text)) blocked = true;
  };
  const emit = (result: Record<string, unknown>): void => {
    pending += `${JSON.stringify(result)}\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const count = (outcome: { success: boolean; topic?: string | undefined }): void => {
    summary.count++;
    if (!outcome.success) summary.failed++;
    if (outcome.topic !== undefined && summary.topics.length < MAX_TOPICS_LOGGED && !summary.topics.includes(outcome.topic)) {
      summary.topics.push(outcome.topic);
    }
  };
  const lineFailed = (line: number, error: GatewayError): void => {
    count({ success: false });
    emit(shape.failed(error, line));
  };

  const start = (items: unknown[], lines: number[], bytes: number): void => {
    inFlight += items.length;
    inFlightBytes += bytes;
    // A receive time per group, not per request: a stream may run for hours.
    deps.pipeline
      .run(items, { ...baseCtx, receivedAt: new Date() }, shape.normalise)
      .then(
        (outcomes) => outcomes.forEach((o, i) => {
          count(o);
          emit(shape.result(o, lines[i]!, items[i]));
        }),
        (err: unknown) => lines.forEach((line) => lineFailed(line, new GatewayError('INTERNAL', undefined, { cause: err }))),
      )
      .finally(() => {
        inFlight -= items.length;
        inFlightBytes -= bytes;
        notify();
      });
  };
  const full = (): boolean => inFlight >= maxInFlight || inFlightBytes >= maxInFlightBytes || blocked;
  const until = async (done: () => boolean): Promise<void> => {
    while (!done() && !closed) await new Promise<void>((resolve) => (wake = resolve));
  };

  let lastLine = 0;
  let stoppedAt: number | undefined;
  // Iterated by hand: leaving a for-await early would destroy the request, and with it the socket
  // the answer still has to go out on (on shutdown the reading stops, the answer does not).
  const chunks = ndjsonLines(req, deps.limits.bodyBytes);
  try {
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      const lines = next.value;
      let items: unknown[] = [];
      let itemLines: number[] = [];
      let bytes = 0;
      for (const l of lines) {
        lastLine = l.line;
        if (l.tooLong) {
          lineFailed(l.line, new GatewayError('BODY_TOO_LARGE', `line is longer than ${deps.limits.bodyBytes} bytes`, { info: { limit_bytes: deps.limits.bodyBytes } }));
          continue;
        }
        let item: unknown;
        try {
          item = JSON.parse(l.text);
        } catch {
          lineFailed(l.line, new GatewayError('INVALID_JSON', 'line is not valid JSON'));
          continue;
        }
        items.push(shape.wrap ? shape.wrap(item) : item);
        itemLines.push(l.line);
        bytes += l.text.length;
        if (inFlight + items.length >= maxInFlight || inFlightBytes + bytes >= maxInFlightBytes) {
          start(items, itemLines, bytes);
          items = [];
          itemLines = [];
          bytes = 0;
          await until(() => !full());
        }
      }
      if (items.length > 0) start(items, itemLines, bytes);
      // Not reading the next chunk until there is room is what pushes back on the client.
      await until(() => !full());
      if (closed) break;
      if (deps.drain?.draining) {
        stoppedAt = lastLine + 1;
        // The rest of the body is not read: once the answer is out, close the connection (FIN after
        // the last byte) rather than let Node read and discard a body that may never end.
        res.once('finish', () => res.socket?.end());
        break;
      }
    }
  } catch (err) {
    // The client went away mid-body: whatever was handed over still completes, nobody reads the answer.
    if (!closed && !req.destroyed) throw err;
  }
  await until(() => inFlight === 0);
  // Last, after every line read has its result: where a client resumes after a shutdown.
  if (stoppedAt !== undefined) lineFailed(stoppedAt, new GatewayError('SHUTTING_DOWN', 'gateway is shutting down: this line and the ones after it were not read'));
  flush();
  if (!closed) res.end();
}

/** The per-line view a client sees, like a batch item's result with `line` for `index`. */


import { Router, type Request } from 'express';
import { GatewayError } from '../../errors/gateway-error.js';
import type { ConsumedRecord } from '../../kafka/consumed-record.js';
import type { TailOptions, TailStart } from '../../kafka/tail-consumer.js';
import { topicNameProblem } from '../../shared/topic-name.js';
import { clientKey } from '../streams/client-key.js';
import { recordJson } from '../streams/record-json.js';
import { openSse, type SseStream } from '../streams/sse.js';
import type { StreamLimits } from '../streams/stream-limits.js';

/** Opens one client's consumer on a topic (src/kafka/tail-consumer.ts); handed in by the composition root. */
export type OpenTail = (o: Omit<TailOptions, 'metadataTimeoutMs'>) => Promise<{ close(): Promise<void> }>;

export interface TopicTailRouteDeps {
  openTail: OpenTail;
  streams: Pick<StreamLimits, 'acquire'>;
  streamSettings: { heartbeatMs: number; maxBufferBytes: number; tailIdleTimeoutMs: number };
  limits: { keyBytes: number };
  /**
   * Read permission: throws a GatewayError (e.g. 403) when this request may not read this topic.
   * Authentication (src/access/) plugs its per-key check in here; without it every topic is readable.
   */
  authorizeRead?: (req: Request, topic: string) => void;
}

const OFFSET = /^\d{1,19}$/;

function startOf(raw: unknown): TailStart {
  if (raw === undefined || raw === 'latest') return 'latest';
  if (raw === 'earliest') return 'earliest';
  if (typeof raw === 'string' && OFFSET.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  throw new GatewayError('INVALID_OFFSET', undefined, { field: 'from' });
}

function keyOf(raw: unknown, maxBytes: number): Buffer | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || Buffer.byteLength(raw) > maxBytes) throw new GatewayError('INVALID_KEY', undefined, { field: 'key', info: { limit_bytes: maxBytes } });
  return Buffer.from(raw);
}

/**
 * GET /topics/{topic}/events?from=latest|earliest|<offset>&key=<key>: a live tail as SSE, for
 * debugging and dashboards. Each connection gets a Kafka consumer of its own (capped by
 * TAIL_MAX_CONCURRENT), closed when the client goes, when it falls too far behind, or when no
 * record came for TAIL_IDLE_TIMEOUT_S. A numeric `from` applies to every partition (docs/status.md).
 */
export function topicTailRoutes(deps: TopicTailRouteDeps): Router {
  const router = Router();

  router.get('/topics/:topic/events', async (req, res) => {
    const topic = req.params['topic']!;
    const problem = topicNameProblem(topic);
    if (problem) throw new GatewayError('INVALID_TOPIC', problem, { field: 'topic' });
    const from = startOf(req.query['from']);
    const key = keyOf(req.query['key'], deps.limits.keyBytes);
    deps.authorizeRead?.(req, topic);

    let consumer: Awaited<ReturnType<OpenTail>> | undefined;
    let gone = false;
    let idle: NodeJS.Timeout | undefined;
    let stream: SseStream | undefined;
    const release = deps.streams.acquire(clientKey(req), 'tail', () => stop());
    function stop(): void {
      if (gone) return;
      gone = true;
      clearTimeout(idle);
      release();
      if (!res.writableEnded) res.end();
      void consumer?.close();
    }
    req.socket.once('close', stop);
    try {
      consumer = await deps.openTail({ topic, from, onRecord: (r) => forward(r) });
    } catch (err) {
      if (gone) return;
      gone = true;
      release();
      req.socket.off('close', stop);
      throw err;
    }
    if (gone) return void consumer.close();
    stream = openSse(res, { heartbeatMs: deps.streamSettings.heartbeatMs, maxBufferBytes: deps.streamSettings.maxBufferBytes, onClose: stop });
    const resetIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        stream?.comment('idle timeout');
        stream?.close();
      }, deps.streamSettings.tailIdleTimeoutMs);
      idle.unref();
    };
    // The consumer is assigned: from here on, nothing written to the topic is missed.
    stream.comment(`tailing ${topic} from ${String(from)}`);
    resetIdle();
    function forward(r: ConsumedRecord): void {
      if (gone || !stream) return;
      if (key && !(r.key && key.equals(r.key))) return;
      if (stream.send(JSON.stringify(recordJson(r)))) resetIdle();
    }
  });

  router.all('/topics/:topic/events', (_req, res) => {
    res.setHeader('Allow', 'GET');
    throw new GatewayError('METHOD_NOT_ALLOWED', 'use GET /topics/{topic}/events');
  });
  return router;
}

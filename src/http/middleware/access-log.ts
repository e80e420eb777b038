import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { LineSink } from '../../logging/logger.js';
import { CLIENT_CLOSED } from './http-metrics.js';
import { routeLabel } from './route-template.js';

/** What a produce route leaves on res.locals.produce for the access log: never payloads or keys. */
export interface ProduceSummary {
  /** Distinct legal topic names of the request's items (at most MAX_TOPICS_LOGGED). */
  topics: string[];
  count: number;
  failed: number;
}

const MAX_TOPICS_LOGGED = 10;

/** Builds the summary from the pipeline's outcomes; only topics that passed normalise() carry a name. */
export function produceSummary(outcomes: ReadonlyArray<{ success: boolean; topic?: string }>): ProduceSummary {
  const topics = new Set<string>();
  let failed = 0;
  for (const o of outcomes) {
    if (o.topic !== undefined && topics.size < MAX_TOPICS_LOGGED) topics.add(o.topic);
    if (!o.success) failed++;
  }
  return { topics: [...topics], count: outcomes.length, failed };
}

/**
 * One JSON line per request, at level info, written when the response ends (or the client leaves):
 * request_id, method, route template, status, latency_ms, the client's name when authentication
 * is on, and for produce calls topic and count.
 * The raw URL, query, bodies, keys and headers are never logged.
 */
export function accessLog(log: LineSink) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('close', () => {
      const finished = res.writableFinished;
      const produce = res.locals['produce'] as ProduceSummary | undefined;
      // One object, filled in place: no spread copies per request.
      const line: Record<string, unknown> = {
        request_id: req.requestId,
        method: req.method,
        route: routeLabel(req),
        status: finished ? res.statusCode : CLIENT_CLOSED,
        latency_ms: Math.round((performance.now() - started) * 1000) / 1000,
      };
      if (!finished) line['aborted'] = true;
      if (req.identity) line['client'] = req.identity.name;
      if (produce) addProduceFields(line, produce);
      log.info('request', line);
    });
    next();
  };
}

function addProduceFields(line: Record<string, unknown>, p: ProduceSummary): void {
  if (p.topics.length > 0) line['topic'] = p.topics.length === 1 ? p.topics[0] : p.topics;
  line['count'] = p.count;
  line['failed'] = p.failed;
}

import { Router, type Request, type Response } from 'express';
import type { Limits } from '../../../config/config.js';
import { GatewayError } from '../../../errors/gateway-error.js';
import type { IdempotencyStore } from '../../../idempotency/store.js';
import type { Normalise, Pipeline } from '../../../pipeline/pipeline.js';
import { produceSummary } from '../../middleware/access-log.js';
import { answerOnce, sendAnswer } from '../../middleware/idempotency.js';
import type { ProduceAnswer } from '../../routes/produce-answers.js';
import { toGatewayErrorForHttp } from '../../error-handler.js';
import { dialectContext, rawBody, readRawBody, topicParam } from '../request.js';
import { offsetsAnswer, restErrorAnswer, V2_TYPE } from './answers-v2.js';
import { recordsOf, recordToItem, type EmbeddedFormat } from './records-v2.js';

export const DIALECT = 'rest_v2';

/** Content-Type → embedded format (Confluent REST Proxy v2; `text` is the Strimzi Bridge's). */
const FORMATS: Record<string, EmbeddedFormat> = {
  'application/vnd.kafka.json.v2+json': 'json',
  'application/vnd.kafka.binary.v2+json': 'binary',
  'application/vnd.kafka.text.v2+json': 'text',
  // The schema formats: values are JSON, encoded by the topic's registry value format (TOPIC_VALUE_FORMATS).
  'application/vnd.kafka.avro.v2+json': 'avro',
  'application/vnd.kafka.jsonschema.v2+json': 'jsonschema',
  'application/vnd.kafka.protobuf.v2+json': 'protobuf',
};
/** Answer media types a client may ask for, best first (the REST Proxy's own list). */
const ANSWER_TYPES = [V2_TYPE, 'application/vnd.kafka+json', 'application/json'];

export interface RestProxyRouteDeps {
  pipeline: Pipeline;
  limits: Limits;
  idempotency?: IdempotencyStore | undefined;
  /** Whether GET /topics/{topic} (topic metadata, routes/topics.ts) is served on the same path. */
  topicsGet?: boolean;
}

const ONE_TOPIC = /^\/topics\/[^/]+$/;

/**
 * POST /topics/{topic} as Confluent REST Proxy v2 and Strimzi Kafka Bridge speak it: the records
 * go through the one pipeline (access, schemas, metadata headers, acks=all), the answer and the
 * errors in their shapes. Errors raised before this route (authentication, rate limits) keep kgate's shape.
 */
export function restProxyRoutes(deps: RestProxyRouteDeps): Router {
  const router = Router();
  const parseBody = rawBody(deps.limits.bodyBytes);
  // OPTIONS names every method of the path: Express's automatic answer would name only this router's POST.
  const allow = deps.topicsGet ? 'GET, HEAD, POST' : 'POST';
  router.use((req, res, next) => {
    if (req.method !== 'OPTIONS' || !ONE_TOPIC.test(req.path)) return next();
    res.setHeader('Allow', allow);
    res.status(200).type('text/plain').send(allow);
  });
  router.post('/topics/:topic', async (req: Request, res: Response) => {
    const contentType = req.accepts(ANSWER_TYPES) || undefined;
    const answerType = contentType === 'application/json' ? 'application/json' : V2_TYPE;
    try {
      if (contentType === undefined) throw new GatewayError('NOT_ACCEPTABLE', `Accept must allow one of ${ANSWER_TYPES.join(', ')}`);
      const topic = topicParam(req);
      const mediaType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const format = FORMATS[mediaType];
      if (format === undefined) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be one of ${Object.keys(FORMATS).join(', ')}`);
      await readRawBody(parseBody, req, res);
      const { records, valueSchemaId } = recordsOf(jsonBody(req), deps.limits, format);
      // Every record is checked before any is written: an invalid record list is refused whole.
      const items = records.map((record, i) => recordToItem(record, topic, format, deps.limits, i, valueSchemaId));
      const ctx = dialectContext(req, DIALECT);
      const asItem: Normalise = (raw) => raw as ReturnType<typeof recordToItem>;
      await answerOnce(req, res, deps.idempotency, ctx.client?.name ?? '', async (): Promise<ProduceAnswer> => {
        const outcomes = await deps.pipeline.run(items, ctx, asItem);
        res.locals['produce'] = produceSummary(outcomes);
        return offsetsAnswer(outcomes, answerType);
      });
    } catch (err) {
      if (res.headersSent) throw err;
      const error = toGatewayErrorForHttp(err);
      if (error.code === 'INTERNAL') throw err; // logged with its stack by the one error handler
      sendAnswer(res, restErrorAnswer(error, answerType), false);
    }
  });
  return router;
}

function jsonBody(req: Request): unknown {
  if (!Buffer.isBuffer(req.body)) {
    if (req.body === undefined) throw new GatewayError('INVALID_BODY', 'a request body is required');
    return req.body; // parsed already by the access guard (a signed request)
  }
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new GatewayError('INVALID_JSON');
  }
}

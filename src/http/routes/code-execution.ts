import { Router } from 'express';
import type { Limits } from '../../config/config.js';
import { languagesFromSchema, type Language } from '../../code-execution/languages.js';
import { submissionMessage } from '../../code-execution/submission.js';
import { GatewayError } from '../../errors/gateway-error.js';
import type { Logger } from '../../logging/logger.js';
import type { Pipeline, Validate } from '../../pipeline/pipeline.js';
import { FIRST_STATUS } from '../../status/status-event.js';
import type { WriteStatus } from '../../status/status-writer.js';
import type { ClaimSubmission } from '../../status/submission-claims.js';
import { SchemaLoadError, type SchemaRegistry } from '../../schemas/registry.js';
import { produceSummary } from '../middleware/access-log.js';
import { jsonBody } from '../middleware/json-body.js';
import { contextOf } from '../request-context.js';

export interface CodeExecutionRouteDeps {
  pipeline: Pipeline;
  limits: Limits;
  schemas: Pick<SchemaRegistry, 'get'>;
  codeExecution: { topic: string };
  /** What GET /kafka-status shows of the producer: its brokers and settings (src/kafka/producer-config.ts). */
  producerDescription: { bootstrap_servers: string[]; producer_config: Record<string, unknown> };
  isKafkaConnected: () => boolean;
  log: Pick<Logger, 'warn'>;
  /**
   * Records the first status (queued) of each submission in the status topic (docs/status.md).
   * `validate` is the pipeline's own check, run on the submission before its status is written, so
   * a refused submission leaves no status behind. Absent: no status is recorded.
   */
  submissionStatus?: { record: WriteStatus; validate: Validate; claim: ClaimSubmission } | undefined;
}

/**
 * Seed 000's API: POST /submit-code, GET /supported-languages, GET /kafka-status. A thin front:
 * /submit-code builds the message and runs it through the same pipeline (and so the same schema
 * and the same acks=all producer) as /produce.
 */
export function codeExecutionRoutes(deps: CodeExecutionRouteDeps): Router {
  const router = Router();
  const topic = deps.codeExecution.topic;
  const status = { bootstrap_servers: deps.producerDescription.bootstrap_servers, topic, producer_config: deps.producerDescription.producer_config };

  router.get('/kafka-status', (_req, res) => {
    res.json({ status: deps.isKafkaConnected() ? 'connected' : 'disconnected', ...status });
  });

  const schemas = deps.schemas.get(topic);
  if (!schemas) {
    // Without the schema there is neither a language list nor a check: better no route than an unchecked one.
    deps.log.warn('no schema for the code-execution topic: /submit-code and /supported-languages are off', { topic });
    return router;
  }
  let languages: Language[];
  try {
    languages = languagesFromSchema(schemas.latest.document);
  } catch (err) {
    throw new SchemaLoadError(schemas.latest.file, (err as Error).message);
  }

  router.get('/supported-languages', (_req, res) => {
    res.json({ languages });
  });

  router.post('/submit-code', ...jsonBody(deps.limits.bodyBytes), async (req, res) => {
    // The one way onto the code-execution topic (src/access/topic-access.ts); contextOf carries the
    // request's trace: the submission and its status records continue it.
    const ctx = { ...contextOf(req), submission: true as const };
    const message = submissionMessage(req.body, ctx);
    const tracked = deps.submissionStatus;
    // The id is held from before its status is written until the answer: a second call with the
    // same X-Request-Id, concurrent or later, is 409 SUBMISSION_EXISTS (submission-claims.ts).
    const release = tracked?.claim(req.requestId);
    try {
      if (tracked) {
        // Status first: a worker can only publish PENDING after reading the submission, so the
        // status topic sees queued before anything else about this request id.
        tracked.validate({ topic, message, headers: {} }, ctx);
        const queued = await tracked.record(req.requestId, FIRST_STATUS, ctx);
        if (!queued.ok) throw queued.error;
      }
      const [outcome] = await deps.pipeline.run([{ topic, message }], ctx);
      res.locals['produce'] = produceSummary([outcome!]);
      if (!outcome!.success) {
        // Written for sure not: say so in the status too. An unknown outcome (504) is ambiguous (the
        // submission may be there and a worker may pick it up), so the status is left as it is.
        if (tracked && outcome!.error.status !== 504) {
          await tracked.record(req.requestId, 'failed', ctx, `submission not written: ${outcome!.error.code}`);
        }
        throw outcome!.error;
      }
      res.json({
        message: 'Code submitted successfully to processing queue',
        request_id: req.requestId,
        status: FIRST_STATUS,
        timestamp: message.timestamp,
        topic,
        partition: outcome!.partition,
        offset: outcome!.offset,
      });
    } finally {
      release?.();
    }
  });

  router.all('/submit-code', (_req, res) => {
    res.setHeader('Allow', 'POST');
    throw new GatewayError('METHOD_NOT_ALLOWED', 'use POST /submit-code');
  });
  return router;
}

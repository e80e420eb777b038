import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { RETRY_AFTER_STATUSES } from '../../errors/codes.js';
import { components } from './components.js';
import type { DocumentContext, PathGroup } from './context.js';
import { codeExecutionPaths } from './paths/code-execution.js';
import { dialectPaths } from './paths/dialects.js';
import { docsPaths } from './paths/docs.js';
import { infoPaths } from './paths/info.js';
import { livePaths } from './paths/live.js';
import { metricsPaths } from './paths/metrics.js';
import { producePaths } from './paths/produce.js';
import { schemaPaths } from './paths/schemas.js';
import { submissionPaths } from './paths/submissions.js';
import { topicTailPaths } from './paths/topic-tail.js';
import { topicPaths } from './paths/topics.js';
import { accessDescription, applyAccess } from './security.js';

/**
 * One module per route group. A branch that adds routes adds its module under paths/ and one line
 * here; test/unit/http/openapi/route-coverage.test.ts fails until the two agree.
 */
export const pathGroups: readonly PathGroup[] = [infoPaths, metricsPaths, producePaths, schemaPaths, codeExecutionPaths, topicPaths, submissionPaths, topicTailPaths, livePaths, docsPaths, dialectPaths];

const DESCRIPTION = `HTTP-to-Kafka producer gateway: POST JSON, get back the partition and offset the broker acknowledged (acks=all).

Every failure answers with a JSON error body whose \`code\` is one of the gateway's error codes (docs/errors.md); the HTTP status follows from the code.
Every response carries \`X-Request-Id\`; ${RETRY_AFTER_STATUSES.join(' and ')} answers carry \`Retry-After\`.
A valid W3C \`traceparent\` (and \`tracestate\`) on any request is written into each record it produces; its answers then carry \`X-Trace-Id\`, and \`traceresponse\` when the gateway exports spans (docs/observability.md, Tracing).

The \`Idempotency-Key\` / \`Prefer: respond-async\` headers are declared for the features that use them; each applies only when that feature is enabled in this gateway.`;

/** The OpenAPI 3.1 document of this gateway, built once at start-up from its own settings. */
export function buildOpenApiDocument(ctx: DocumentContext): OpenAPIObject {
  let paths = {};
  for (const group of pathGroups) {
    for (const [path, item] of Object.entries(group(ctx))) {
      // Two modules may share a path with different methods (GET /topics/{topic} and the REST Proxy's POST).
      const existing = (paths as Record<string, Record<string, unknown>>)[path];
      if (existing && Object.keys(item).some((method) => Object.hasOwn(existing, method))) {
        throw new Error(`OpenAPI: two path modules describe ${path}`);
      }
      Object.assign(paths, { [path]: { ...existing, ...item } });
    }
  }
  paths = applyAccess(paths, ctx);
  return {
    openapi: '3.1.0',
    info: { title: ctx.name, version: ctx.version, description: `${DESCRIPTION}\n\n${accessDescription(ctx)}`, license: { name: 'MIT', identifier: 'MIT' } },
    tags: [
      { name: 'produce', description: 'Write messages to Kafka' },
      { name: 'dialects', description: "Other HTTP shapes of produce: CloudEvents, Confluent REST Proxy v2 / Strimzi Bridge (docs/dialects.md)" },
      { name: 'code-execution', description: "Seed 000's code-execution API" },
      { name: 'schemas', description: 'Topic schemas messages are checked against' },
      { name: 'topics', description: 'Read-only topic metadata (the topics a client may write)' },
      { name: 'status', description: 'Submission status: polling, Server-Sent Events, WebSocket, the /live page' },
      { name: 'info', description: 'Health, readiness, metrics' },
      { name: 'docs', description: 'This document and its UI' },
    ],
    paths,
    components,
  };
}

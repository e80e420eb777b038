import type { PathsObject, SchemaObject } from 'openapi3-ts/oas31';
import type { AccessSummary } from '../../access/access.js';
import type { Limits } from '../../config/config.js';

/** What the document is built from: this gateway's limits and topic schemas, so it describes the running instance. */
export interface DocumentContext {
  name: string;
  version: string;
  limits: Limits;
  /** The code-execution topic and the properties of its latest schema; absent when that schema is missing (no routes then). */
  codeExecution?: { topic: string; properties: Record<string, SchemaObject> } | undefined;
  /** Whether GET /metrics exists (METRICS_ENABLED). */
  metrics: boolean;
  /** Whether GET /topics and GET /topics/{topic} exist (the app has cluster metadata). */
  topics: boolean;
  /** Whether GET /submissions/{request_id}, its /events and the WebSocket /ws exist (the status loop). */
  submissions?: boolean;
  /** Whether GET /topics/{topic}/events exists (the status loop's topic tail). */
  topicTail?: boolean;
  /** Whether the HTTP dialects' routes exist (src/http/dialects/: CloudEvents, REST Proxy). */
  dialects?: boolean;
  /** Authentication, rate limits, CORS (src/access/); absent: everything open, nothing limited. */
  access?: AccessSummary | undefined;
}

/** One route group's part of the document: src/http/openapi/paths/<group>.ts, listed in document.ts. */
export type PathGroup = (ctx: DocumentContext) => PathsObject;

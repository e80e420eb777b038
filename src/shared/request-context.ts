import type { RequestTrace } from './request-trace.js';

/**
 * Who sent a request, once authentication has established it (src/access/). Never the key itself.
 * What it may write and read travels with it, whatever the credential (a keys-file entry today, a
 * token's claims tomorrow), so the permission checks never need to know where it came from.
 */
export interface ClientIdentity {
  name: string;
  /** A token client's permissions, from its claims (src/access/jwt-verifier.ts); absent for a key client,
   * whose permissions are its keys-file entry's, looked up by name (a reload applies at once). */
  token?: TokenGrants;
}

/** Topic globs as compiled by src/shared/topic-glob.ts. */
export interface TopicPatterns {
  readonly exact: ReadonlySet<string>;
  matches(topic: string): boolean;
}

/** What a verified token allows. */
export interface TokenGrants {
  topics: TopicPatterns;
  /** Topics it may read (the live tail; every submission when it names the status topic). Writing a topic
   * does not grant reading it (issue 26). */
  readTopics: TopicPatterns;
  rateLimit?: { perSecond: number; burst: number } | undefined;
}

/** What every stage may know about the HTTP call an item came from. */
export interface RequestContext {
  requestId: string;
  receivedAt: Date;
  /** Absent when authentication is off. */
  client?: ClientIdentity;
  /** Set only by the gateway's own writers (the status writer), never from a request: topic
   * permissions, reserved topics included, do not apply to what the gateway writes for itself. */
  internal?: true;
  /** Set only by POST /submit-code: the one way onto the code-execution topic, whose messages carry
   * a submission id the gateway made sure is new (src/access/topic-access.ts). */
  submission?: true;
  /** The request's W3C trace context (src/tracing/): written into each record; absent without one. */
  trace?: RequestTrace;
  /** The HTTP dialect the request came in (src/http/dialects/); absent: kgate's own /produce. */
  dialect?: string;
  /** X-Kgate-Schema-Version: the registry version every item of the request is encoded with, unless it pins its own. */
  schemaVersion?: number;
}

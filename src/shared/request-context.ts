/** Topic patterns a credential grants, compiled (src/access/topic-glob.ts makes them). */
export interface TopicPermission {
  /** Names given without `*`: only these reach a reserved topic. */
  readonly exact: ReadonlySet<string>;
  matches(topic: string): boolean;
}

/**
 * Who sent a request, once authentication has established it (src/access/). Never the key itself.
 * What it may write and read travels with it, whatever the credential (a keys-file entry today, a
 * token's claims tomorrow), so the permission checks never need to know where it came from.
 */
export interface ClientIdentity {
  name: string;
  /** Topics it may write (a keys-file entry's `topics`); absent: looked up by name. */
  topics?: TopicPermission;
  /** Topics it may read (`read_topics`: tails, and every submission's status via the status topic); absent: none. */
  readTopics?: TopicPermission;
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
  /** The HTTP dialect the request came in (src/http/dialects/); absent: kgate's own /produce. */
  dialect?: string;
  /** X-Kgate-Schema-Version: the registry version every item of the request is encoded with, unless it pins its own. */
  schemaVersion?: number;
}

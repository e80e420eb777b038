import { GatewayError } from '../errors/gateway-error.js';
import type { Validate } from '../pipeline/pipeline.js';
import type { ClientIdentity } from '../shared/request-context.js';
import type { ClientEntry } from './keys-file.js';
import type { TopicMatcher } from './topic-glob.js';

export type ForbiddenReason = 'key' | 'reserved' | 'policy';

export interface TopicAccessDeps {
  /** The keys file's clients; undefined when AUTH_KEYS_FILE is unset. */
  client: ((name: string) => ClientEntry | undefined) | undefined;
  /** Keys or JWTs: a client without a grant for a topic is refused it. */
  authOn?: boolean;
  reserved: ReadonlySet<string>;
  /** TOPIC_ALLOW, for every client; undefined = no gateway-wide policy. */
  policy: TopicMatcher | undefined;
  /** REQUIRE_EXISTING_TOPICS: the cached topic list; undefined = not required. */
  topicExists: ((topic: string) => boolean) | undefined;
}

export interface TopicAccess {
  /** Why this client may not write (or read: its write grants and its read grants) the topic, or undefined when it may. */
  refusal(client: ClientIdentity | undefined, topic: string, mode?: 'write' | 'read'): ForbiddenReason | undefined;
  /** The pipeline stage: runs per item, so one forbidden item in a batch fails alone (207). */
  validate: Validate;
}

/**
 * Who may write where. With keys: the entry's patterns, and reserved topics only when named
 * exactly. Without keys (local development): every topic but the reserved ones, which nobody can
 * reach without a key that names them. TOPIC_ALLOW narrows both.
 */
export function createTopicAccess(deps: TopicAccessDeps): TopicAccess {
  function refusal(client: ClientIdentity | undefined, topic: string, mode: 'write' | 'read' = 'write'): ForbiddenReason | undefined {
    if (deps.policy && !deps.policy.matches(topic)) return 'policy';
    // A token carries its grants; a key client's are its entry's, looked up by name so a reload applies.
    const grants = client?.token ? client.token.topics : deps.client && client ? deps.client(client.name)?.topics : undefined;
    const reads = mode === 'read' ? client?.token?.readTopics : undefined;
    if (deps.reserved.has(topic)) return grants?.exact.has(topic) || reads?.exact.has(topic) ? undefined : 'reserved';
    if (!(deps.authOn ?? deps.client !== undefined)) return undefined;
    return grants?.matches(topic) || reads?.matches(topic) ? undefined : 'key';
  }

  return {
    refusal,
    validate(item, ctx) {
      if (ctx.internal) return;
      const reason = refusal(ctx.client, item.topic);
      if (reason) throw forbidden(item.topic, reason);
      if (deps.topicExists && !deps.topicExists(item.topic)) {
        throw new GatewayError('UNKNOWN_TOPIC', `topic "${item.topic}" does not exist, and this gateway writes only to existing topics`, {
          field: 'topic',
        });
      }
    },
  };
}

const WHY: Record<ForbiddenReason, string> = {
  key: "is not among this client's topics",
  reserved: 'is reserved for the gateway and the clients named for it',
  policy: 'is outside this gateway\'s TOPIC_ALLOW',
};

export function forbidden(topic: string, reason: ForbiddenReason): GatewayError {
  return new GatewayError('TOPIC_FORBIDDEN', `topic "${topic}" ${WHY[reason]}`, { field: 'topic', info: { reason } });
}

import { GatewayError } from '../errors/gateway-error.js';
import type { Validate } from '../pipeline/pipeline.js';
import type { ClientIdentity } from '../shared/request-context.js';
import type { ClientEntry } from './keys-file.js';
import type { TopicMatcher } from '../shared/topic-glob.js';

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
  /** CODE_EXECUTION_TOPIC: written only through POST /submit-code. */
  codeExecutionTopic?: string | undefined;
}

export interface TopicAccess {
  /** Why this client may not write (or, mode 'read', read) the topic, or undefined when it may. */
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
    // Reading has its own grant (read_topics, a token's read claims): the write permission says nothing
    // about it (issue 26). A token carries its grants; a key client's are its entry's, looked up by name
    // so a reload applies.
    const entry = !client?.token && deps.client && client ? deps.client(client.name) : undefined;
    const grants = mode === 'read' ? (client?.token ? client.token.readTopics : entry?.readTopics) : client?.token ? client.token.topics : entry?.topics;
    if (deps.reserved.has(topic)) return grants?.exact.has(topic) ? undefined : 'reserved';
    if (!(deps.authOn ?? deps.client !== undefined)) return undefined;
    return grants?.matches(topic) ? undefined : 'key';
  }

  return {
    refusal,
    validate(item, ctx) {
      if (ctx.internal) return;
      // A message there is a submission, and its request_id the submission id a worker publishes
      // under: with keys, only /submit-code, which makes sure the id is new, may write one (else
      // /produce with another client's id would take their submission over). Without keys every
      // caller may write any topic but the reserved ones (local development), this one included.
      if (deps.client && item.topic === deps.codeExecutionTopic && !ctx.submission) {
        throw new GatewayError('TOPIC_FORBIDDEN', `topic "${item.topic}" is written only through POST /submit-code`, { field: 'topic', info: { reason: 'reserved' } });
      }
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

export function forbidden(topic: string, reason: ForbiddenReason, reading = false): GatewayError {
  const why = reading && reason === 'key' ? "is not among this client's read_topics" : WHY[reason];
  return new GatewayError('TOPIC_FORBIDDEN', `topic "${topic}" ${why}`, { field: 'topic', info: { reason } });
}

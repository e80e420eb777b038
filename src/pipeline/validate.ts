import { GatewayError } from '../errors/gateway-error.js';
import { formatErrors } from '../schemas/format-errors.js';
import { findVersion, type SchemaRegistry, type SchemaVersion, type TopicSchemas } from '../schemas/registry.js';
import type { DeadLetter } from './dead-letter.js';
import { nestsDeeperThan } from './message-depth.js';
import type { Validate } from './pipeline.js';
import type { ProduceItem } from './types.js';

export type UnregisteredTopicPolicy = 'accept' | 'reject';

export interface SchemaValidateDeps {
  registry: Pick<SchemaRegistry, 'get'>;
  unregisteredTopics: UnregisteredTopicPolicy;
  maxDepth: number;
  deadLetter?: DeadLetter | undefined;
}

/** The field a message pins its schema version with, as in Wikimedia EventGate. */
export const PIN_FIELD = '$schema';

/**
 * The pipeline's validate stage: every message checked against its topic's schema (the pinned
 * version, else the latest) with the validator compiled at start-up. Only a refusal by the schema
 * itself goes to the dead-letter topic; a message too deep or for an unknown topic never reached it.
 */
export function createSchemaValidate(deps: SchemaValidateDeps): Validate {
  return (item, ctx) => {
    // A schema-typed dialect value (REST Proxy AVRO, ...) reaching this stage is on a topic without a registry
    // format: the pipeline refuses it next (VALUE_FORMAT_MISMATCH), so schemas/ neither checks nor dead-letters it.
    if (item.declaredFormat !== undefined) return;
    if (nestsDeeperThan(item.message, deps.maxDepth)) {
      throw new GatewayError('MESSAGE_TOO_DEEP', `"message" nests deeper than ${deps.maxDepth} levels`, {
        field: 'message',
        info: { limit: deps.maxDepth },
      });
    }
    const schemas = deps.registry.get(item.topic);
    if (!schemas) {
      if (deps.unregisteredTopics === 'accept') return;
      throw new GatewayError('TOPIC_NOT_REGISTERED', `topic "${item.topic}" has no registered schema, and this gateway accepts only registered topics`, {
        field: 'topic',
      });
    }
    if (item.message === undefined) {
      // A dialect's value that is not JSON (CloudEvents data of another content type, REST Proxy bytes).
      throw new GatewayError('VALUE_NOT_JSON', `topic "${item.topic}" has a schema, and this value is not JSON`, { field: 'value' });
    }
    let schema: SchemaVersion;
    try {
      schema = schemaFor(item, schemas);
    } catch (err) {
      if (err instanceof GatewayError) deps.deadLetter?.(item, ctx, err);
      throw err;
    }
    if (schema.validate(item.message)) return;
    const { errors, total } = formatErrors(schema.validate.errors ?? []);
    const first = errors[0];
    const more = total > 1 ? ` (and ${total - 1} more)` : '';
    const refusal = new GatewayError('SCHEMA_VALIDATION_FAILED', `message does not match schema ${schema.id}: ${first ? `${first.path} ${first.message}` : 'invalid'}${more}`, {
      info: { schema: schema.id, errors, ...(total > errors.length ? { errors_total: total } : {}) },
    });
    deps.deadLetter?.(item, ctx, refusal);
    throw refusal;
  };
}

function schemaFor(item: ProduceItem, schemas: TopicSchemas): SchemaVersion {
  // A pin from outside the message (CloudEvents `dataschema`) applies when it names a version; it is
  // often the sender's own URL, which names none, and then the latest version checks the message.
  if (item.schemaPin !== undefined) return findVersion(schemas, item.schemaPin) ?? schemas.latest;
  const message = item.message;
  if (typeof message !== 'object' || message === null || Array.isArray(message) || !Object.hasOwn(message, PIN_FIELD)) {
    return schemas.latest;
  }
  const pin = (message as Record<string, unknown>)[PIN_FIELD];
  const found = typeof pin === 'string' ? findVersion(schemas, pin) : undefined;
  if (found) return found;
  throw new GatewayError('UNKNOWN_SCHEMA_VERSION', `"$schema" must name a version of topic "${item.topic}": ${schemas.versions.map((v) => JSON.stringify(v.id)).join(', ')}`, {
    field: 'message.$schema',
    info: { versions: schemas.versions.map((v) => ({ version: v.version, id: v.id })) },
  });
}

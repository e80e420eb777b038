import type { RegistryFormat, SubjectNameStrategy } from '../config/value-formats.js';
import type { GatewayError } from '../errors/gateway-error.js';

/** One message as a client asked for it, after normalise() checked its shape. */
export interface ProduceItem {
  topic: string;
  /** A Buffer only from a dialect whose keys are bytes (src/http/dialects/). */
  key?: string | Buffer;
  /** What the topic's schema checks; undefined when a dialect's value is bytes that are not JSON. */
  message: unknown;
  partition?: number;
  headers: Record<string, string | Buffer>;
  /** Set by a dialect: the value's bytes exactly as they go to Kafka, no metadata fields added
   * (its envelope is the contract); `message` is then those bytes read as JSON, if they are JSON. */
  value?: Buffer;
  /** The record's timestamp (ms) when a dialect lets the client set it; else the receive time. */
  timestampMs?: number;
  /** A schema version named outside the message (CloudEvents `dataschema`), instead of `$schema`;
   * when it names none of the topic's versions, the latest applies. */
  schemaPin?: string;
  /** A registry schema pinned by id or by version (topics with a registry value format only). */
  schemaId?: number;
  schemaVersion?: number;
  /** Set by a dialect whose record says its value is schema-typed (REST Proxy AVRO / JSONSCHEMA / PROTOBUF):
   * the topic's registry value format must be this one ('registry': any, the record named a schema but no
   * type). `message` is then the value as JSON, encoded like a /produce message on that topic. */
  declaredFormat?: RegistryFormat | 'registry';
  /** The subject and strategy a client named (REST Proxy v3): accepted only when they are kgate's own. */
  subject?: string;
  subjectStrategy?: SubjectNameStrategy;
}

/** The outcome of one item: a value, so a batch can report each item on its own. */
export type ItemOutcome =
  | {
      success: true;
      topic: string;
      partition: number;
      /** null when the broker acknowledged without an offset; offset_unknown_reason says why. */
      offset: number | null;
      offset_unknown_reason?: string;
      timestamp: string;
      /** The registry schema id the value was encoded with (topics with a registry value format); the
       * dialects report it (REST Proxy `value_schema_id`), kgate's own answers leave it out. */
      schemaId?: number;
    }
  | {
      success: false;
      topic?: string;
      error: GatewayError;
      /** Only for DELIVERY_OUTCOME_UNKNOWN past the deadline: the outcome once the report comes. */
      eventual?: Promise<ItemOutcome>;
    };

/** A request's items as handed over: `immediate[i]` is the outcome of an item refused at once
 * (bad input, or refused before hand-over), undefined for one queued in the producer. */
export interface Submitted {
  immediate: Array<ItemOutcome | undefined>;
  settled: Promise<ItemOutcome[]>;
}

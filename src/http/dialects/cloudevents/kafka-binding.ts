import { isUtf8 } from 'node:buffer';
import type { ProduceItem } from '../../../pipeline/types.js';
import { readTraceParent } from '../../../tracing/trace-context.js';
import { isJsonType, type CloudEvent } from './event.js';

export const STRUCTURED_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * One CloudEvent as a produce item, in the Kafka protocol binding (spec 1.0):
 * - binary mode: every attribute a `ce_<name>` header (UTF-8), datacontenttype the `content-type`
 *   header, the value the data's bytes (JSON data as JSON text);
 * - structured mode: the value the whole event in the JSON format, `content-type:
 *   application/cloudevents+json`; non-JSON data as a string (text/*) or `data_base64`.
 * In both, the key is the `partitionkey` extension (the binding's key mapping), else none, and a
 * valid `traceparent` extension (CloudEvents distributed tracing) is the record's own trace context:
 * it wins over the request's for this record, like a batch item's own `traceparent` header.
 * `message` is the data the topic's schema checks: undefined when the data is not JSON.
 */
export function toProduceItem(event: CloudEvent, topic: string, structured: boolean): ProduceItem {
  const { attributes, data } = event;
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  let value: Buffer;
  if (structured) {
    headers['content-type'] = STRUCTURED_TYPE;
    value = Buffer.from(JSON.stringify(structuredJson(event)));
  } else {
    for (const [name, v] of Object.entries(attributes)) {
      if (name === 'datacontenttype') headers['content-type'] = String(v);
      else headers[`ce_${name}`] = String(v);
    }
    value = data === undefined ? Buffer.alloc(0) : data.bytes ?? Buffer.from(JSON.stringify(data.json));
  }
  const own = readTraceParent(textOf(attributes['traceparent']), textOf(attributes['tracestate']));
  if (own !== undefined) {
    headers['traceparent'] = own.traceparent;
    if (own.tracestate !== undefined) headers['tracestate'] = own.tracestate;
  }
  const item: ProduceItem = { topic, message: data?.json, headers, value };
  const key = attributes['partitionkey'];
  if (typeof key === 'string') item.key = key;
  const dataschema = attributes['dataschema'];
  if (typeof dataschema === 'string') item.schemaPin = dataschema;
  return item;
}

function structuredJson(event: CloudEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event.attributes };
  const { data } = event;
  if (data === undefined) return out;
  if (data.bytes === undefined) out['data'] = data.json;
  else if (isText(event.attributes['datacontenttype']) && isUtf8(data.bytes)) out['data'] = data.bytes.toString('utf8');
  else out['data_base64'] = data.bytes.toString('base64');
  return out;
}

/** text/* data goes as a JSON string when it is valid UTF-8; anything else as base64. */
function isText(contentType: string | number | boolean | undefined): boolean {
  return typeof contentType === 'string' && /^\s*text\//i.test(contentType) && !isJsonType(contentType);
}

function textOf(value: string | number | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

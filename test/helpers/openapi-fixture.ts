import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import { ROOT } from './env.js';

/**
 * An assertion that a value matches a response schema of a public OpenAPI document kept under
 * test/fixtures/openapi/ (README.md there says where each comes from and its licence), e.g.
 * `matchesSchemaOf('confluent-kafka-rest-v3.json')('ProduceResponse', body)`. The documents' own
 * formats (int32, int64, byte, date-time) are accepted as written, not checked.
 */
export function matchesSchemaOf(fixture: string): (name: string, value: unknown) => void {
  const document = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/openapi', fixture), 'utf8')) as { components: unknown };
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { int32: true, int64: true, byte: true, 'date-time': true } });
  ajv.addSchema({ $id: 'document', components: document.components });
  return (name, value) => {
    const validate = ajv.compile({ $ref: `document#/components/schemas/${name}` });
    expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).to.equal(true);
  };
}

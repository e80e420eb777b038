import { expect } from 'chai';
import { createSchemaCompiler } from '../../../src/schemas/ajv.js';
import { formatErrors, jsonPath, MAX_REPORTED_ERRORS } from '../../../src/schemas/format-errors.js';

describe('format-errors', () => {
  it('turns JSON pointers into JSONPath', () => {
    expect(jsonPath('')).to.equal('$');
    expect(jsonPath('/code')).to.equal('$.code');
    expect(jsonPath('/items/2/name')).to.equal('$.items[2].name');
    expect(jsonPath('/a~1b/c d', '~0')).to.equal('$["a/b"]["c d"]["~0"]');
    expect(jsonPath('', '$schema')).to.equal('$.$schema');
  });

  it('names the missing or extra field in the path and reports one message per field', () => {
    const ajv = createSchemaCompiler();
    const validate = ajv.compile({
      type: 'object',
      additionalProperties: false,
      required: ['code', 'language'],
      properties: { code: { type: 'string', minLength: 1, pattern: '\\S' }, language: { enum: ['go'] } },
    });
    expect(validate({ code: '', extra: 1 })).to.equal(false);
    const { errors, total } = formatErrors(validate.errors!);
    expect(errors).to.deep.include({ path: '$.language', message: 'is required' });
    expect(errors).to.deep.include({ path: '$.extra', message: 'is not allowed here (no such field in the schema)' });
    expect(errors).to.deep.include({ path: '$.code', message: 'must not be empty' });
    expect(errors.filter((e) => e.path === '$.code')).to.have.length(1);
    expect(total).to.equal(3);
  });

  it(`reports at most ${MAX_REPORTED_ERRORS} errors and counts the rest`, () => {
    const validate = createSchemaCompiler().compile({ type: 'array', items: { type: 'integer' } });
    expect(validate(Array.from({ length: 1000 }, () => 'x'))).to.equal(false);
    const { errors, total } = formatErrors(validate.errors!);
    expect(errors).to.have.length(MAX_REPORTED_ERRORS);
    expect(errors[0]).to.deep.equal({ path: '$[0]', message: 'must be integer' });
    expect(total).to.equal(1000);
  });
});

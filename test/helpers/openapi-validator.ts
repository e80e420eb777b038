import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';

const addFormats: FormatsPlugin = (formatsModule as unknown as { default: FormatsPlugin }).default;

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const DOC_ID = 'kgate-openapi';

export interface ObservedResponse {
  method: string;
  /** Path only, as the client sent it (percent-encoded). */
  path: string;
  status: number;
  headers: Headers;
  /** Raw body text. */
  body: string;
}

/** JSON pointer escape of one reference token. */
const escape = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks responses against an OpenAPI 3.1 document: the operation for the method and path, the
 * status listed there, the media type and the body against its schema (ajv, draft 2020-12, with the
 * document's components), and the headers it marks required. Requests outside the document must
 * get the answers the gateway gives them: 404 NOT_FOUND, or 404/405 for an undocumented method.
 */
export class OpenApiResponseValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; regex: RegExp }>;
  /** 401/429 of the access room, which refuses before routing: also the answer to an unknown path or method. */
  private readonly guardStatuses: number[];

  constructor(private readonly doc: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc, DOC_ID);
    this.templates = Object.keys(doc.paths ?? {}).map((template) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`),
    }));
    const listed = new Set(Object.values<Json>(doc.paths ?? {}).flatMap((item) => Object.values<Json>(item).flatMap((op) => Object.keys(op?.responses ?? {}))));
    this.guardStatuses = [401, 429].filter((status) => listed.has(String(status)));
  }

  /** The documented path template a request path falls under (Express ignores one trailing slash). */
  match(path: string): string | undefined {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    return this.templates.find((t) => t.regex.test(trimmed))?.template;
  }

  /** What is wrong with this response; empty when the document allows it. */
  problems(res: ObservedResponse): string[] {
    const where = `${res.method} ${res.path} → ${res.status}`;
    // A CORS preflight from an allowed origin (CORS_ORIGINS): the cors middleware's 204, on any path, is
    // the browser's protocol, not an operation (the document's description says so).
    if (res.method === 'OPTIONS' && res.status === 204 && res.headers.has('access-control-allow-origin') && res.body === '') return [];
    // Swagger UI's asset files under /docs/ and the /live page's under /live/ (index.html at /live/ itself,
    // which the template /live would match) are static middleware, not operations.
    if ((res.path.startsWith('/docs/') || res.path.startsWith('/live/')) && res.status === 200) return [];
    const template = this.match(res.path.split('?')[0]!);
    if (!template) {
      return this.errorBodyProblems(res, [404, ...this.guardStatuses], `${where}: path is not in the document`);
    }
    const method = res.method.toLowerCase() === 'head' ? 'get' : res.method.toLowerCase();
    const operation = this.doc.paths[template]?.[method];
    if (!METHODS.includes(method) || !operation) {
      return this.errorBodyProblems(res, [404, 405, ...this.guardStatuses], `${where}: ${template} has no ${res.method} operation`);
    }
    const key = String(res.status) in operation.responses ? String(res.status) : 'default' in operation.responses ? 'default' : undefined;
    if (!key) return [`${where}: status ${res.status} is not documented for ${res.method} ${template} (documented: ${Object.keys(operation.responses).join(', ')})`];
    const pointer = `#/paths/${escape(template)}/${method}/responses/${key}`;
    return [...this.headerProblems(res, operation.responses[key], where), ...this.bodyProblems(res, operation.responses[key], pointer, where)];
  }

  private errorBodyProblems(res: ObservedResponse, statuses: number[], why: string): string[] {
    if (!statuses.includes(res.status)) return [`${why}, so it must answer ${statuses.join(' or ')}`];
    const body = parse(res.body);
    const validate = this.validator('#/components/schemas/ErrorBody');
    if (body === undefined || !validate(body)) return [`${why}: the answer is not an ErrorBody: ${this.ajv.errorsText(validate.errors)}`];
    return [];
  }

  private headerProblems(res: ObservedResponse, response: Json, where: string): string[] {
    const out: string[] = [];
    for (const [name, raw] of Object.entries<Json>(response.headers ?? {})) {
      const header = raw.$ref ? this.resolve(raw.$ref) : raw;
      const value = res.headers.get(name);
      if (value === null) {
        if (header.required) out.push(`${where}: required response header ${name} is missing`);
        continue;
      }
      const pointer = raw.$ref ? `${raw.$ref}/schema` : undefined;
      const validate = pointer ? this.validator(pointer) : this.ajv.compile(header.schema ?? {});
      if (!validate(value)) out.push(`${where}: header ${name}="${value}" ${this.ajv.errorsText(validate.errors)}`);
    }
    return out;
  }

  private bodyProblems(res: ObservedResponse, response: Json, pointer: string, where: string): string[] {
    const content: Json | undefined = response.content;
    if (!content) return res.body === '' ? [] : [`${where}: the document lists no body, the response has one`];
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(type in content)) return [`${where}: Content-Type "${type}" is not one of ${Object.keys(content).join(', ')}`];
    if (type === 'application/x-ndjson') return this.ndjsonProblems(res.body, `${pointer}/content/${escape(type)}/schema`, where);
    const isJson = type === 'application/json' || type.endsWith('+json');
    const body = isJson ? parse(res.body) : res.body;
    if (isJson && body === undefined) return [`${where}: body is not JSON: ${res.body.slice(0, 200)}`];
    const validate = this.validator(`${pointer}/content/${escape(type)}/schema`);
    if (!validate(body)) return [`${where}: body breaks the document: ${this.ajv.errorsText(validate.errors)}; body: ${res.body.slice(0, 500)}`];
    return [];
  }

  /** A streamed NDJSON answer: the schema is that of each line (OpenAPI 3.1 cannot say "a stream of"). */
  private ndjsonProblems(body: string, pointer: string, where: string): string[] {
    const validate = this.validator(pointer);
    const out: string[] = [];
    for (const line of body.split('\n').filter((l) => l.trim() !== '')) {
      const value = parse(line);
      if (value === undefined) out.push(`${where}: an NDJSON line is not JSON: ${line.slice(0, 200)}`);
      else if (!validate(value)) out.push(`${where}: an NDJSON line breaks the document: ${this.ajv.errorsText(validate.errors)}; line: ${line.slice(0, 300)}`);
    }
    return out;
  }

  private validator(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${DOC_ID}${pointer}` });
      this.compiled.set(pointer, fn);
    }
    return fn;
  }

  private resolve(ref: string): Json {
    return ref
      .slice(2)
      .split('/')
      .reduce<Json>((node, token) => node[token.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
  }
}

function parse(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

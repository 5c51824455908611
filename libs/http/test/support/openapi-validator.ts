import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { OpenApiDocument } from '@sentiment/http';

const DOC_ID = 'https://sentiment-worker.local/openapi.json';

/** JSON-pointer escaping (RFC 6901). */
function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/**
 * Compiles schemas straight out of the OpenAPI document (3.1 schemas are JSON Schema 2020-12),
 * so a test validates against exactly what /openapi.json publishes.
 */
export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApiDocument) {
    // strict off: OpenAPI keywords such as `example` are not JSON Schema keywords.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    this.ajv.addSchema(structuredClone(doc) as object, DOC_ID);
  }

  private compile(path: string): ValidateFunction {
    let fn = this.cache.get(path);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${DOC_ID}#/${path}` });
      this.cache.set(path, fn);
    }
    return fn;
  }

  /** Schema of a documented response body; throws if the document has none for this media type. */
  responseValidator(path: string, method: string, status: string, mediaType: string): ValidateFunction {
    const op = (this.doc.paths[path] as Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }> | undefined)?.[method];
    if (!op?.responses[status]?.content?.[mediaType]) throw new Error(`no documented ${mediaType} body for ${method} ${path} ${status}`);
    return this.compile(pointer('paths', path, method, 'responses', status, 'content', mediaType, 'schema'));
  }

  componentResponseValidator(name: string, mediaType = 'application/json'): ValidateFunction {
    return this.compile(pointer('components', 'responses', name, 'content', mediaType, 'schema'));
  }

  schemaValidator(name: string): ValidateFunction {
    return this.compile(pointer('components', 'schemas', name));
  }

  /** Every documented (path, method, status), e.g. `get /health 503`. */
  documentedResponses(): string[] {
    const out: string[] = [];
    for (const [path, ops] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const status of Object.keys((op as { responses: Record<string, unknown> }).responses)) out.push(`${method} ${path} ${status}`);
      }
    }
    return out.sort();
  }
}

export function describeErrors(fn: ValidateFunction): string {
  return JSON.stringify(fn.errors ?? [], null, 1).slice(0, 2_000);
}

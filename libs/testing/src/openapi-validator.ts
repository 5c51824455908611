import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { OpenApiDocument } from '@sentiment/http';

const DOC_ID = 'https://sentiment-worker.local/openapi.json';

/** JSON-pointer escaping (RFC 6901). */
function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** `$ref`s used as `allOf` members anywhere in `value`. */
function allOfTargets(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) allOfTargets(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'allOf' && Array.isArray(v)) {
        for (const member of v) if (typeof member === 'object' && member !== null && typeof (member as { $ref?: unknown }).$ref === 'string') out.add((member as { $ref: string }).$ref);
      }
      allOfTargets(v, out);
    }
  }
  return out;
}

/**
 * Adds `unevaluatedProperties: false` to every object schema that lists properties and says
 * nothing about other ones, except a schema used as an `allOf` member: closed on its own, it
 * would refuse the fields its extension adds (the extension, closed, covers both).
 */
function closeObjectSchemas(value: unknown, skip: (node: object) => boolean): void {
  if (Array.isArray(value)) {
    for (const v of value) closeObjectSchemas(v, skip);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as Record<string, unknown>;
  const listsProperties = typeof node['properties'] === 'object' && node['properties'] !== null;
  if (listsProperties && !('additionalProperties' in node) && !('unevaluatedProperties' in node) && !skip(node)) node['unevaluatedProperties'] = false;
  for (const [key, v] of Object.entries(node)) {
    if (key === 'allOf' && Array.isArray(v)) {
      for (const member of v) closeObjectSchemas(member, (n) => n === member || skip(n));
    } else {
      closeObjectSchemas(v, skip);
    }
  }
}

function closeDocument(doc: OpenApiDocument): object {
  const copy = structuredClone(doc);
  const targets = allOfTargets(copy);
  const shared = new Set<object>();
  for (const [name, schema] of Object.entries(copy.components.schemas)) if (targets.has(`#/components/schemas/${name}`)) shared.add(schema);
  closeObjectSchemas(copy, (node) => shared.has(node));
  return copy;
}

export interface OpenApiValidatorOptions {
  /**
   * Treat every documented object as closed: a field the document does not name fails
   * validation. The published schemas stay open (clients must tolerate new fields), but a
   * contract test of what a server emits must catch a field that is sent and not documented.
   */
  closed?: boolean;
}

/**
 * Compiles schemas straight out of the OpenAPI document (3.1 schemas are JSON Schema 2020-12),
 * so a test validates against exactly what /openapi.json publishes. Shared by the HTTP layer's
 * contract test and the worker's (which checks the real /health and /ready reports).
 */
export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(
    readonly doc: OpenApiDocument,
    options: OpenApiValidatorOptions = {},
  ) {
    // strict off: OpenAPI keywords such as `example` are not JSON Schema keywords.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    this.ajv.addSchema(options.closed ? closeDocument(doc) : (structuredClone(doc) as object), DOC_ID);
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

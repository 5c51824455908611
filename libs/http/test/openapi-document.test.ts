import { describe, expect, it } from '@jest/globals';
import { buildOpenApiDocument, openApiDocument } from '@sentiment/http';

/** Every `$ref` string anywhere in a JSON value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('when every $ref is followed, then it lands on a defined component', () => {
    const found = refs(openApiDocument);
    expect(found.length).toBeGreaterThan(5);
    for (const ref of found) {
      const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
      expect(match).not.toBeNull();
      expect(openApiDocument.components.schemas[match?.[1] ?? '']).toBeDefined();
    }
  });

  it('when operations are listed, then each has a unique operationId, a summary and described responses', () => {
    const ids = new Set<string>();
    for (const ops of Object.values(openApiDocument.paths)) {
      for (const op of Object.values(ops)) {
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        expect(op.summary.length).toBeGreaterThan(0);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(response.description.length).toBeGreaterThan(0);
        }
      }
    }
    expect(ids.size).toBe(12);
  });

  it('when built with other limits, then the request schema and the description state them', () => {
    const doc = buildOpenApiDocument({ limits: { maxTextChars: 123, maxBatchTexts: 7, maxSegments: 9, maxBodyBytes: 4_096 } });
    const text = JSON.stringify(doc.components.schemas['TextRequest']);
    expect(text).toContain('"maxLength":123');
    expect(JSON.stringify(doc.components.schemas['TextsRequest'])).toContain('"maxItems":7');
    expect(JSON.stringify(doc.components.schemas['SegmentsRequest'])).toContain('"maxItems":9');
    expect(doc.info.description).toContain('4096 bytes');
  });

  it('when the service is named, then title and version follow it', () => {
    const doc = buildOpenApiDocument({ service: { name: 'svc', version: '2.0.0' } });
    expect(doc.info).toMatchObject({ title: 'svc HTTP API', version: '2.0.0' });
  });
});

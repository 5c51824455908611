import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { openApiDocument } from '@sentiment/http';

// Tests run from dist/libs/http/test; the repository root is four levels up.
const docsFile = path.resolve(__dirname, '../../../../docs/openapi.json');

describe('docs/openapi.json', () => {
  it('when compared with the document the code builds, then they are identical (run `npm run docs:openapi` after changing openapi.ts)', () => {
    const onDisk = JSON.parse(readFileSync(docsFile, 'utf8')) as unknown;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../openapi';

/** Writes docs/openapi.json (default limits) from libs/http/src/openapi.ts: `npm run docs:openapi`. */
const target = process.argv[2] ?? path.resolve(__dirname, '../../../../../docs/openapi.json');
writeFileSync(target, `${JSON.stringify(openApiDocument, null, 2)}\n`);
console.log(`wrote ${target}`);

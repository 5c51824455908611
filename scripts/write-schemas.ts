/** `npm run docs:schemas`: writes the event JSON Schemas from code into docs/schemas/ (a test keeps them in sync). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callTranscribedSchema, sentimentResultSchema } from '@sentiment/events';

const dir = join(__dirname, '..', '..', 'docs', 'schemas');
writeFileSync(join(dir, 'call-transcribed.schema.json'), `${JSON.stringify(callTranscribedSchema, null, 2)}\n`);
writeFileSync(join(dir, 'sentiment-result.schema.json'), `${JSON.stringify(sentimentResultSchema, null, 2)}\n`);
console.log(`wrote ${dir}`);

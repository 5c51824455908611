import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVICE_NAME = 'sentiment-worker';

/** The root package.json version; the file sits four levels above dist/services/sentiment-worker/src. */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const SERVICE_VERSION = readVersion();

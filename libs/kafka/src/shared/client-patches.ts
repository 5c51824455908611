import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KafkaError } from '@sentiment/errors';

/** The marker every hunk of our client patches carries (patches/*.patch). */
export const PATCH_MARKER = 'Patched by the sentiment worker';

/**
 * Refuses to run a Kafka client installed without the project's patches (patch-package applies
 * them in `npm ci`'s postinstall): read_committed would leak aborted records and bombs would be
 * inflated. `files` are paths inside the package, relative to the directory of its main module.
 */
export function assertClientPatched(packageName: string, patchFile: string, files: readonly string[]): void {
  const root = dirname(require.resolve(packageName));
  const missing = files.filter((file) => {
    try {
      return !readFileSync(join(root, file), 'utf8').includes(PATCH_MARKER);
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new KafkaError('KAFKA_CLIENT_UNPATCHED', `${packageName} is installed without the project's patches (${patchFile}; unpatched: ${missing.join(', ')}): run \`npm ci\`, whose postinstall runs patch-package`, {
      retriable: false,
      details: { packageName, missing },
    });
  }
}

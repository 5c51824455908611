import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root, found by walking up from this file: the same code runs from
 * libs/testing/src (ts-node) and from dist/libs/testing/src (compiled), so no fixed depth.
 */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'tools', 'kafka', 'pom.xml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`tools/kafka/pom.xml not found above ${__dirname}`);
    dir = parent;
  }
}

/** Git-ignored cache for Kafka jars and local broker data (`.cache/` is in .gitignore). */
export function kafkaCacheDir(): string {
  return process.env['KAFKA_CACHE_DIR'] ?? path.join(repoRoot(), '.cache', 'kafka');
}

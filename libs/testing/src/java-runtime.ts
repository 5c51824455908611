import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KafkaHarnessError } from './harness-error';

/** Major version of a JDK/JRE home, from its `release` file (JAVA_VERSION="25.0.3"). */
export function javaHomeMajor(home: string): number | undefined {
  try {
    const release = readFileSync(path.join(home, 'release'), 'utf8');
    const match = /^JAVA_VERSION="(\d+)(?:\.|")/m.exec(release);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Java home of at least `minMajor`: $APICURIO_JAVA_HOME, else $JAVA_HOME when new enough, else the
 * newest JDK under /usr/lib/jvm or /opt (Debian keeps Java 17 as the default `java` here, with a
 * Temurin 25 beside it). The broker keeps using the default Java; only tools that need more ask here.
 */
export function findJavaHome(minMajor: number, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['APICURIO_JAVA_HOME']?.trim();
  if (explicit) {
    const major = javaHomeMajor(explicit);
    if (major === undefined || major < minMajor) throw new KafkaHarnessError(`APICURIO_JAVA_HOME=${explicit} is not a Java ${minMajor}+ home (found ${major ?? 'no release file'})`);
    return explicit;
  }
  const candidates: { home: string; major: number }[] = [];
  const consider = (home: string | undefined): void => {
    if (!home) return;
    const major = javaHomeMajor(home);
    if (major !== undefined && major >= minMajor && existsSync(path.join(home, 'bin', 'java'))) candidates.push({ home, major });
  };
  consider(env['JAVA_HOME']?.trim());
  for (const root of ['/usr/lib/jvm', '/opt']) {
    let entries: string[] = [];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) consider(path.join(root, entry));
  }
  candidates.sort((a, b) => b.major - a.major);
  const best = candidates[0];
  if (!best) {
    throw new KafkaHarnessError(`no Java ${minMajor}+ found (looked at APICURIO_JAVA_HOME, JAVA_HOME, /usr/lib/jvm/*, /opt/*); install one, e.g. a Temurin ${minMajor}+ JDK`);
  }
  return best.home;
}

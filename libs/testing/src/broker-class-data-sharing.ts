import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { javaCommand } from './java-command';
import { kafkaCacheDir } from './repo-paths';

export interface ClassDataSharingPlan {
  /** JVM flags for this broker start. */
  jvmFlags: string[];
  /** When this start records a class list: turns it into an archive once the JVM has exited cleanly. */
  buildArchive?: () => Promise<void>;
}

/**
 * Application class-data sharing (AppCDS) for the broker JVM: loading Kafka's ~7000 classes from a
 * pre-parsed archive halves its start-up on a busy 2-core machine (measured 10-15 s -> ~5 s).
 * The first broker of a version records the classes it loads; destroy() then dumps the archive
 * (a few seconds, once per version and JDK). A stale or foreign archive (other JDK, refetched jars)
 * is ignored by the JVM, which then starts normally. KAFKA_TEST_CDS=0 turns this off.
 */
export function planClassDataSharing(version: string, classpath: string): ClassDataSharingPlan {
  if (process.env['KAFKA_TEST_CDS'] === '0') return { jvmFlags: [] };
  const dir = path.join(kafkaCacheDir(), version, 'cds');
  const archive = path.join(dir, 'broker.jsa');
  if (existsSync(archive)) return { jvmFlags: [`-XX:SharedArchiveFile=${archive}`, '-Xshare:auto'] };
  // On CI the cache usually starts empty and the archive would be built after the last broker: no gain.
  if (process.env['CI'] && process.env['KAFKA_TEST_CDS'] !== '1') return { jvmFlags: [] };
  mkdirSync(dir, { recursive: true });
  const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const classList = path.join(dir, `classes-${unique}.lst`);
  return {
    jvmFlags: [`-XX:DumpLoadedClassList=${classList}`],
    buildArchive: async () => {
      try {
        if (existsSync(archive) || !existsSync(classList) || statSync(classList).size === 0) return;
        // One dump at a time per version: parallel jest workers would all try at teardown.
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
      } finally {
        rmSync(classList, { force: true });
      }
    },
  };
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

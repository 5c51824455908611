import path from 'node:path';

/** The `java` launcher: $JAVA_HOME/bin/java when JAVA_HOME is set, else whatever is on PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['JAVA_HOME'];
  return home ? path.join(home, 'bin', 'java') : 'java';
}

/** Heap of a single test broker (the jest shared broker, kafka:start). */
export const SINGLE_BROKER_HEAP = '-Xms256m -Xmx512m';

/**
 * JVM flags of the broker. `fastStart` (tests) trades peak throughput for start-up time and CPU:
 * C1-only JIT and the serial GC; a test broker serves little traffic and the machine is shared.
 * KAFKA_TEST_HEAP_OPTS replaces the heap part; KAFKA_TEST_JVM_OPTS is appended.
 */
export function brokerJvmOptions(fastStart: boolean, env: NodeJS.ProcessEnv = process.env, defaultHeap = SINGLE_BROKER_HEAP): string[] {
  const heap = env['KAFKA_TEST_HEAP_OPTS']?.trim() || defaultHeap;
  const extra = env['KAFKA_TEST_JVM_OPTS']?.trim();
  return [
    ...heap.split(/\s+/),
    ...(fastStart ? ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] : []),
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    ...(extra ? extra.split(/\s+/) : []),
  ];
}

/** Short-lived tools (storage format, console producer/consumer): start fast, stay small. */
export function toolJvmOptions(): string[] {
  return ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.awt.headless=true'];
}

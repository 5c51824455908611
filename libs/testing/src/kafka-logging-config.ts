import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { kafkaLogging } from './kafka-versions';

export type LogTarget = 'System.out' | 'System.err';

/**
 * Writes a logging configuration for the Kafka JVM into `dir` and returns the JVM flag that
 * selects it. Kafka 3.x reads log4j 1 properties; 4.x reads log4j 2 (KIP-653).
 * The broker logs to stdout, which the harness redirects to a file in its data directory.
 */
export function writeKafkaLoggingConfig(dir: string, version: string, level: string, target: LogTarget): string {
  if (kafkaLogging(version) === 'log4j2') {
    const file = path.join(dir, `log4j2-${level.toLowerCase()}.properties`);
    writeFileSync(
      file,
      [
        'status = warn',
        'appender.out.type = Console',
        'appender.out.name = OUT',
        `appender.out.target = ${target === 'System.out' ? 'SYSTEM_OUT' : 'SYSTEM_ERR'}`,
        'appender.out.layout.type = PatternLayout',
        'appender.out.layout.pattern = [%d] %p %m (%c)%n',
        `rootLogger.level = ${level}`,
        'rootLogger.appenderRef.out.ref = OUT',
        // The per-request and state-change logs are very chatty at INFO and never needed in tests.
        'logger.request.name = kafka.request.logger',
        'logger.request.level = WARN',
        'logger.state.name = state.change.logger',
        'logger.state.level = WARN',
        '',
      ].join('\n'),
    );
    return `-Dlog4j2.configurationFile=${file}`;
  }
  const file = path.join(dir, `log4j-${level.toLowerCase()}.properties`);
  writeFileSync(
    file,
    [
      `log4j.rootLogger=${level}, out`,
      'log4j.appender.out=org.apache.log4j.ConsoleAppender',
      `log4j.appender.out.Target=${target}`,
      'log4j.appender.out.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.request.logger=WARN',
      'log4j.logger.state.change.logger=WARN',
      '',
    ].join('\n'),
  );
  return `-Dlog4j.configuration=file:${file}`;
}

import type { Logger, LogLevel } from '@sentiment/observability';

export interface LogRecord {
  level: LogLevel;
  message: string;
  meta: Record<string, unknown>;
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * A Logger that keeps its lines in memory, so an in-process worker's log can be asserted on.
 * kafkajs' own lines (component "kafkajs") are dropped: at debug they would be most of the memory.
 */
export class RecordingLogger implements Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    readonly records: LogRecord[] = [],
    private readonly meta: Record<string, unknown> = {},
  ) {}

  private add(level: LogLevel, message: string, meta?: Record<string, unknown>): void {
    if (RANK[level] > RANK[this.level]) return;
    const all = { ...this.meta, ...meta };
    if (all['component'] === 'kafkajs') return;
    this.records.push({ level, message, meta: all });
  }

  error(message: string, meta?: Record<string, unknown>): void {
    this.add('error', message, meta);
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.add('warn', message, meta);
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.add('info', message, meta);
  }
  debug(message: string, meta?: Record<string, unknown>): void {
    this.add('debug', message, meta);
  }
  child(meta: Record<string, unknown>): Logger {
    return new RecordingLogger(this.level, this.records, { ...this.meta, ...meta });
  }
  isDebugEnabled(): boolean {
    return this.level === 'debug';
  }

  find(message: string): LogRecord[] {
    return this.records.filter((r) => r.message === message);
  }
}

import winston from 'winston';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LogLevels: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** The small logging surface every library depends on; winston stays an implementation detail. */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  /** A logger whose lines all carry `meta` (e.g. component, topic, partition). */
  child(meta: Record<string, unknown>): Logger;
  isDebugEnabled(): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  service?: string;
  /** `json` for machines (default), `pretty` for a terminal. */
  format?: 'json' | 'pretty';
  /** Extra transports, e.g. a stream in tests. Defaults to stdout. */
  transports?: winston.transport[];
  silent?: boolean;
}

class WinstonLogger implements Logger {
  constructor(private readonly inner: winston.Logger) {}
  error(message: string, meta?: Record<string, unknown>): void {
    this.inner.error(message, meta);
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.inner.warn(message, meta);
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.inner.info(message, meta);
  }
  debug(message: string, meta?: Record<string, unknown>): void {
    this.inner.debug(message, meta);
  }
  child(meta: Record<string, unknown>): Logger {
    return new WinstonLogger(this.inner.child(meta));
  }
  isDebugEnabled(): boolean {
    return this.inner.isDebugEnabled();
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format =
    options.format === 'pretty'
      ? winston.format.combine(winston.format.timestamp(), winston.format.colorize(), winston.format.simple())
      : winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json());
  const inner = winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: options.service ? { service: options.service } : undefined,
    format,
    silent: options.silent ?? false,
    transports: options.transports ?? [new winston.transports.Console()],
  });
  return new WinstonLogger(inner);
}

/** For tests and library defaults: drops everything. */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
  isDebugEnabled: () => false,
};

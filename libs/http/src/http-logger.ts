import type { Logger, LogLevel } from '@sentiment/observability';

/** The part of @sentiment/observability's Logger the HTTP layer uses (tests pass a recorder). */
export type HttpLogger = Pick<Logger, LogLevel>;

export const silentHttpLogger: HttpLogger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

/** What one `npm run dlq:replay` run does (docs/operations.md, "Replaying dead letters"). */
export interface ReplayOptions {
  /** Only these reasons (none given: every replayable reason, or every reason with --force). */
  reasons: string[] | undefined;
  /** Dead letters written before this (epoch ms) are passed over for good. */
  since: number | undefined;
  /** A partition's pass stops at its first dead letter written after this (epoch ms); the rest waits. */
  until: number | undefined;
  /** Decide and report, publish and record nothing. */
  dryRun: boolean;
  /** Replay reasons that describe the input itself (SCHEMA_VIOLATION, ...) too. */
  force: boolean;
  /** Base name of the progress groups: `<group>.<REASON>`. */
  group: string;
}

export const DEFAULT_REPLAY_GROUP = 'sentiment-dlq-replay';

const USAGE = `usage: npm run dlq:replay -- [--reason CODE[,CODE...]] [--since TIME] [--until TIME] [--dry-run] [--force] [--group NAME]
  TIME: ISO 8601 (2026-12-01T10:00:00Z) or epoch milliseconds
  Kafka settings, DLQ_TOPIC and INPUT_TOPIC come from the worker's environment variables (docs/configuration.md).`;

export class ReplayUsageError extends Error {}

function parseTime(flag: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new ReplayUsageError(`${flag}: not a time: ${JSON.stringify(text)} (ISO 8601 or epoch ms)\n${USAGE}`);
  return ms;
}

/** Parses the command line; throws ReplayUsageError with the usage text on anything unknown. */
export function parseReplayArgs(argv: readonly string[], knownReasons: readonly string[]): ReplayOptions {
  const options: ReplayOptions = { reasons: undefined, since: undefined, until: undefined, dryRun: false, force: false, group: DEFAULT_REPLAY_GROUP };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ReplayUsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--reason') {
      const reasons = value().split(',').map((r) => r.trim()).filter((r) => r.length > 0);
      const unknown = reasons.filter((r) => !knownReasons.includes(r));
      if (unknown.length > 0) throw new ReplayUsageError(`--reason: unknown reason ${unknown.join(', ')}; known: ${knownReasons.join(', ')}`);
      options.reasons = [...(options.reasons ?? []), ...reasons];
    } else if (flag === '--since') options.since = parseTime(flag, value());
    else if (flag === '--until') options.until = parseTime(flag, value());
    else if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--force') options.force = true;
    else if (flag === '--group') options.group = value();
    else if (flag === '--help' || flag === '-h') throw new ReplayUsageError(USAGE);
    else throw new ReplayUsageError(`unknown argument ${flag}\n${USAGE}`);
  }
  if (options.since !== undefined && options.until !== undefined && options.since > options.until) {
    throw new ReplayUsageError('--since is after --until');
  }
  return options;
}

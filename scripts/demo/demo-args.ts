export interface DemoArgs {
  /** Valid events to send (cycling through samples/calls.jsonl). */
  events: number;
  /** Also send every line of samples/malformed.jsonl once. */
  malformed: boolean;
  /** Keep running (and refreshing) after the report, until Ctrl-C. */
  follow: boolean;
  /** Broker port: a number, or 'auto' for a free one. Default $KAFKA_PORT or 9092 (a free one when taken). */
  kafkaPort: number | 'auto' | undefined;
  /** Give up (exit 1) when not every input is accounted for after this long. */
  timeoutMs: number;
  /** Input topic partitions. */
  partitions: number;
}

export const DEMO_USAGE =
  'usage: npm run demo -- [--events N] [--no-malformed] [--follow] [--kafka-port N|auto] [--partitions N] [--timeout-s N]';

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer (got ${value ?? 'nothing'})\n${DEMO_USAGE}`);
  return n;
}

export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DemoArgs {
  const args: DemoArgs = {
    events: 2000,
    malformed: true,
    follow: false,
    kafkaPort: env['KAFKA_PORT'] ? positiveInt('KAFKA_PORT', env['KAFKA_PORT']) : undefined,
    timeoutMs: 300_000,
    partitions: 6,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--events':
      case '--count':
        args.events = positiveInt(flag, value());
        break;
      case '--no-malformed':
        args.malformed = false;
        break;
      case '--follow':
        args.follow = true;
        break;
      case '--kafka-port': {
        const v = value();
        args.kafkaPort = v === 'auto' ? 'auto' : positiveInt(flag, v);
        break;
      }
      case '--partitions':
        args.partitions = positiveInt(flag, value());
        break;
      case '--timeout-s':
        args.timeoutMs = positiveInt(flag, value()) * 1000;
        break;
      case '--help':
      case '-h':
        throw new Error(DEMO_USAGE);
      default:
        throw new Error(`unknown option ${flag}\n${DEMO_USAGE}`);
    }
  }
  return args;
}

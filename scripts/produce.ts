/**
 * `npm run produce -- <file.jsonl> [options]`: sends each line of a JSON Lines file as one
 * event to `calls.transcribed`, byte for byte (so malformed lines are sent as they are, to
 * exercise the dead-letter path). Keyed by call_id when the line parses.
 *
 *   --brokers host:port   (default $KAFKA_BROKERS or 127.0.0.1:9092)
 *   --topic name          (default $INPUT_TOPIC or calls.transcribed)
 *   --count N             send N events, cycling through the file; call_ids get a -<n> suffix
 *   --traceparent         add a fresh W3C traceparent header to each event
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type Message } from 'kafkajs';

interface Args {
  file: string;
  brokers: string[];
  topic: string;
  count: number | undefined;
  traceparent: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = { traceparent: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--brokers') args.brokers = value().split(',');
    else if (a === '--topic') args.topic = value();
    else if (a === '--count') {
      const n = Number(value());
      if (!Number.isInteger(n) || n <= 0) throw new Error('--count must be a positive integer');
      args.count = n;
    } else if (a === '--traceparent') args.traceparent = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else args.file = a;
  }
  if (!args.file) throw new Error('usage: npm run produce -- <file.jsonl> [--count N] [--brokers host:port] [--topic name] [--traceparent]');
  return {
    file: args.file,
    brokers: args.brokers ?? (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
    topic: args.topic ?? process.env['INPUT_TOPIC'] ?? 'calls.transcribed',
    count: args.count,
    traceparent: args.traceparent ?? false,
  };
}

function toMessage(line: string, n: number | undefined, traceparent: boolean): Message {
  let key: string | null = null;
  let value = line;
  try {
    const parsed = JSON.parse(line) as { call_id?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.call_id === 'string') {
      if (n !== undefined) {
        parsed.call_id = `${parsed.call_id}-${n}`;
        value = JSON.stringify(parsed);
      }
      key = parsed.call_id as string;
    }
  } catch {
    // Not JSON: sent as is, on purpose.
  }
  const headers = traceparent ? { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` } : undefined;
  return { key, value, ...(headers ? { headers } : {}) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const lines = readFileSync(args.file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw new Error(`${args.file} has no lines`);
  const total = args.count ?? lines.length;
  const messages: Message[] = [];
  for (let i = 0; i < total; i++) messages.push(toMessage(lines[i % lines.length] as string, args.count ? i : undefined, args.traceparent));

  const kafka = new Kafka({ clientId: 'sentiment-produce-cli', brokers: args.brokers, logLevel: logLevel.WARN });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({ topic: args.topic, messages: messages.slice(i, i + 500), acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
  console.log(`sent ${messages.length} events to ${args.topic} on ${args.brokers.join(',')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

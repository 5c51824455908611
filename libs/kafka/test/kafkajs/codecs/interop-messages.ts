/** One message of the interop tests; keys are unique across producers and codecs. */
export interface InteropMessage {
  key: string;
  value: string;
}

const WORDS = ['thanks', 'refund', 'waiting', 'great', 'agent', 'café', 'naïve', '☕', '😀', 'déjà', 'vu', 'ok'];

/**
 * What one producer writes for one codec: many small messages (several records per
 * compressed batch) and one compressible message of over 1 MiB: compression clearly
 * applies, and a decoder that guesses a 1 MiB output buffer when the frame does not
 * declare its size (Java writes zstd as a stream) would fail on it. Single-line values
 * without tabs: console producers read `key<TAB>value` lines.
 */
/** Above the Java producer's default max.request.size: producers of these messages must raise it. */
export const LARGE_MESSAGE_MIN_BYTES = 1024 * 1024;

export function interopMessages(producer: string, codec: string, smallCount = 40): InteropMessage[] {
  const messages: InteropMessage[] = [];
  for (let seq = 0; seq < smallCount; seq++) {
    const text = Array.from({ length: 8 }, (_, j) => WORDS[(seq + j * 5) % WORDS.length]).join(' ');
    messages.push({ key: `${producer}-${codec}-${seq}`, value: JSON.stringify({ producer, codec, seq, text }) });
  }
  const segments = Array.from({ length: 16_000 }, (_, i) => ({
    i,
    speaker: i % 2 === 0 ? 'customer' : 'agent',
    text: `${WORDS[i % WORDS.length]} segment ${i} of a long call`,
  }));
  messages.push({ key: `${producer}-${codec}-large`, value: JSON.stringify({ producer, codec, segments }) });
  return messages;
}

/** `key<TAB>value` lines, the input format given to kcat -K and the Java console producer. */
export function toKeyedLines(messages: readonly InteropMessage[]): string {
  return messages.map((m) => `${m.key}\t${m.value}\n`).join('');
}

/** Parses `key<TAB>value` lines as printed by kcat -f and the Java console consumer. */
export function fromKeyedLines(output: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of output.toString('utf8').split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error(`line without a key separator: ${line.slice(0, 200)}`);
    out.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return out;
}

export function asMap(messages: readonly InteropMessage[]): Map<string, string> {
  return new Map(messages.map((m) => [m.key, m.value]));
}

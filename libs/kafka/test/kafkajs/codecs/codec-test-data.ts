import { randomBytes } from 'node:crypto';

export const ONE_MIB = 1024 * 1024;

/** Incompressible bytes: every codec must still round-trip them (usually slightly larger). */
export function randomData(size: number = ONE_MIB): Buffer {
  return randomBytes(size);
}

/** JSON lines shaped like the worker's events: repetitive keys, varying ids and text. */
export function jsonLikeData(size: number = ONE_MIB): Buffer {
  const words = ['great', 'service', 'terrible', 'wait', 'thanks', 'refund', 'agent', 'helpful', 'call', 'again'];
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const text = Array.from({ length: 12 }, (_, j) => words[(i * 31 + j * 7) % words.length]).join(' ');
    const line = `${JSON.stringify({ call_id: `call-${i}`, seq: i, ts: 1_700_000_000_000 + i * 997, speaker: i % 2 ? 'agent' : 'customer', text })}\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join(''), 'utf8').subarray(0, size);
}

import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first HTTP/1.1 response in `text` (Content-Length bodies only, which is all this API sends). */
export function parseRawResponse(text: string): RawResponse | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...headerLines] = text.slice(0, headEnd).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  return { status: Number(match[1]), headers, body: text.slice(headEnd + 4, headEnd + 4 + length) };
}

export interface TrickleResult {
  response: RawResponse | undefined;
  /** Milliseconds from the first byte sent to the socket closing. */
  closedAfterMs: number;
  bytesSent: number;
}

/**
 * Sends `head` then `bodyByte` every `intervalMs` until the server closes the socket (or
 * `giveUpMs` passes): the slowloris client.
 */
export function trickleRequest(port: number, head: string, options: { intervalMs: number; giveUpMs: number; bodyByte?: string }): Promise<TrickleResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(head);
      bytesSent += Buffer.byteLength(head);
      timer = setInterval(() => {
        if (socket.writable) {
          socket.write(options.bodyByte ?? 'a');
          bytesSent++;
        }
      }, options.intervalMs);
    });
    const giveUp = setTimeout(() => socket.destroy(), options.giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ response: parseRawResponse(received), closedAfterMs: Date.now() - started, bytesSent });
    });
  });
}

/** Writes raw bytes, half-closes, and collects whatever comes back until the server closes. */
export function rawExchange(port: number, bytes: Buffer | string, giveUpMs = 5_000): Promise<RawResponse | undefined> {
  return new Promise((resolve) => {
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end(bytes);
    });
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve(parseRawResponse(received));
    });
  });
}

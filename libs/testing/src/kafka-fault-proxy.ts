import net from 'node:net';
import { parseRequestHeader, type RequestHeader } from './kafka-request-frames';

/** Kafka request API keys the fault proxy is used with (the protocol's own numbers). */
export const KafkaApiKeys = {
  Produce: 0,
  Fetch: 1,
  OffsetCommit: 8,
  JoinGroup: 11,
  Heartbeat: 12,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  ConsumerGroupHeartbeat: 68,
} as const;

interface Fault {
  apiKey: number;
  remaining: number;
  triggered: () => void;
}

/** A request seen by the proxy: its header and a copy of the whole frame (size prefix included). */
export interface RecordedRequest {
  header: RequestHeader;
  frame: Buffer;
}

/** Requests the proxy keeps from the broker until `release()`. */
export interface HeldRequests {
  /** Resolves with the first request held. */
  readonly first: Promise<RecordedRequest>;
  /** Requests held so far (released ones included). */
  count(): number;
  /** Forwards the held requests, in order, and lets every later one through. */
  release(): void;
}

interface Hold {
  apiKey: number;
  clientId: string | undefined;
  remaining: number;
  released: boolean;
  queue: Array<{ frame: Buffer; upstream: net.Socket; client: net.Socket }>;
  seen: number;
  onFirst: (request: RecordedRequest) => void;
}

/**
 * A TCP proxy in front of one broker that understands Kafka's framing (int32 size, then the
 * request header: int16 api key, int16 version, int32 correlation id; responses start with the
 * correlation id), so a test can break a connection at a precise protocol step: the request
 * reaches the broker and takes effect, but its answer never reaches the client. Start the
 * broker with `advertised.listeners` pointing at the proxy so every client connection, the
 * transaction coordinator's included, goes through it.
 */
export class KafkaFaultProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly faults: Fault[] = [];
  private readonly holds: Hold[] = [];
  private readonly recording = new Map<number, RecordedRequest[]>();
  /** Responses dropped so far, by API key. */
  readonly dropped = new Map<number, number>();

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Listens on `port` (127.0.0.1) and forwards to `target`, which may start later. */
  static async start(target: { host: string; port: number }, port: number): Promise<KafkaFaultProxy> {
    const proxy = new KafkaFaultProxy(target, port);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(port, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /**
   * The next `times` requests with this API key are forwarded, and when the broker answers, the
   * client's connection is closed instead of getting the answer. Resolves when the last one hit.
   */
  dropResponseTo(apiKey: number, times = 1): Promise<void> {
    return new Promise((resolve) => this.faults.push({ apiKey, remaining: times, triggered: resolve }));
  }

  /**
   * The next `times` requests with this API key (default: all, until released), from clients whose
   * client id is `clientId` when given, are held: the broker does not see them, the client waits for
   * an answer, other requests on the same connection go on. `release()` forwards them, late.
   */
  holdRequests(apiKey: number, options: { clientId?: string; times?: number } = {}): HeldRequests {
    let onFirst: (request: RecordedRequest) => void = () => undefined;
    const first = new Promise<RecordedRequest>((resolve) => (onFirst = resolve));
    const hold: Hold = { apiKey, clientId: options.clientId, remaining: options.times ?? Infinity, released: false, queue: [], seen: 0, onFirst };
    this.holds.push(hold);
    return {
      first,
      count: () => hold.seen,
      release: () => {
        hold.released = true;
        for (const { frame, upstream } of hold.queue.splice(0)) if (!upstream.destroyed) upstream.write(frame);
      },
    };
  }

  /**
   * Closes the client connections that have a request held, as a crashed client's would be; the
   * held requests never reach the broker. Lets a test act at a precise step, e.g. SIGKILL a worker
   * whose transaction is fully written but not committed (its EndTxn held).
   */
  dropHeld(): void {
    for (const hold of this.holds) for (const { client } of hold.queue.splice(0)) client.destroy();
  }

  /** From now on, keeps a copy of every request with this API key (see `recorded`). */
  recordRequests(apiKey: number): void {
    if (!this.recording.has(apiKey)) this.recording.set(apiKey, []);
  }

  /** The requests with this API key seen since `recordRequests(apiKey)`. */
  recorded(apiKey: number): readonly RecordedRequest[] {
    return this.recording.get(apiKey) ?? [];
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    // Requests whose answer must not arrive, by correlation id.
    const doomed = new Map<number, { apiKey: number; last: Fault | undefined }>();
    const teardown = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('error', teardown);
      socket.on('close', teardown);
    }

    frames(client, (frame) => {
      // size(4) api_key(2) api_version(2) correlation_id(4)
      const apiKey = frame.length >= 12 ? frame.readInt16BE(4) : -1;
      if (this.heldOrRecorded(apiKey, frame, upstream, client)) return;
      const fault = this.faults.find((f) => f.apiKey === apiKey && f.remaining > 0);
      if (fault) {
        fault.remaining--;
        if (fault.remaining === 0) this.faults.splice(this.faults.indexOf(fault), 1);
        doomed.set(frame.readInt32BE(8), { apiKey, last: fault.remaining === 0 ? fault : undefined });
      }
      upstream.write(frame);
    });
    frames(upstream, (frame) => {
      // size(4) correlation_id(4)
      const hit = frame.length >= 8 ? doomed.get(frame.readInt32BE(4)) : undefined;
      if (!hit) {
        client.write(frame);
        return;
      }
      this.dropped.set(hit.apiKey, (this.dropped.get(hit.apiKey) ?? 0) + 1);
      teardown();
      hit.last?.triggered();
    });
  }

  /** Records the request if asked to; true when a hold keeps it from the broker. */
  private heldOrRecorded(apiKey: number, frame: Buffer, upstream: net.Socket, client: net.Socket): boolean {
    const recording = this.recording.get(apiKey);
    const holds = this.holds.filter((h) => h.apiKey === apiKey && !h.released && h.remaining > 0);
    if (!recording && holds.length === 0) return false;
    const header = parseRequestHeader(frame);
    if (!header) return false;
    // The frame's buffer belongs to the socket's read chunk: keep a copy.
    const request = { header, frame: Buffer.from(frame) };
    recording?.push(request);
    const hold = holds.find((h) => h.clientId === undefined || h.clientId === header.clientId);
    if (!hold) return false;
    hold.remaining--;
    hold.seen++;
    hold.queue.push({ frame: request.frame, upstream, client });
    if (hold.seen === 1) hold.onFirst(request);
    return true;
  }
}

/** Calls `onFrame` with each whole size-prefixed frame (prefix included) read from the socket. */
function frames(socket: net.Socket, onFrame: (frame: Buffer) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const size = pending.readInt32BE(0);
      if (pending.length < 4 + size) break;
      onFrame(pending.subarray(0, 4 + size));
      pending = pending.subarray(4 + size);
    }
  });
}

import net from 'node:net';

/** Kafka request API keys the fault proxy is used with (the protocol's own numbers). */
export const KafkaApiKeys = { Produce: 0, Fetch: 1, OffsetCommit: 8, JoinGroup: 11, Heartbeat: 12, EndTxn: 26, TxnOffsetCommit: 28 } as const;

interface Fault {
  apiKey: number;
  remaining: number;
  triggered: () => void;
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
  private holds: { apiKey: number; onHeld: () => void }[] = [];
  private heldSockets: net.Socket[] = [];
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
   * The next request with this API key is not forwarded: the client waits for an answer that never
   * comes (until it gives up or its connection goes). Resolves once such a request arrived. Lets
   * a test act at a precise step, e.g. SIGKILL a worker whose transaction is fully written but not
   * committed (its EndTxn held here).
   */
  holdNext(apiKey: number): Promise<void> {
    return new Promise((resolve) => this.holds.push({ apiKey, onHeld: resolve }));
  }

  /** Closes the connections that have a held request (what a crashed client's would do). */
  dropHeld(): void {
    for (const socket of this.heldSockets.splice(0)) socket.destroy();
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
      const hold = this.holds.find((h) => h.apiKey === apiKey);
      if (hold) {
        this.holds.splice(this.holds.indexOf(hold), 1);
        this.heldSockets.push(client);
        hold.onHeld();
        return;
      }
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

import http, { type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ConfigError, type ErrorCode } from '@sentiment/errors';
import { errorBody } from './http-error-response';
import { silentHttpLogger, type HttpLogger } from './http-logger';

export interface HttpServerOptions {
  /** 0 picks a free port (tests); the chosen one is in the result. */
  port: number;
  /** Interface to bind; default: all interfaces. */
  host?: string;
  /** Whole request (headers and body) must arrive within this, else 408 and close (default 30,000). Slowloris guard. */
  requestTimeoutMs?: number;
  /** Headers must arrive within this (default 10,000; never more than requestTimeoutMs). */
  headersTimeoutMs?: number;
  /** Idle keep-alive connections close after this (default 5,000). */
  keepAliveTimeoutMs?: number;
  /** close() waits this long for in-flight requests, then cuts every connection (default 10,000). */
  shutdownTimeoutMs?: number;
  /** Largest request head in bytes, else 431 (default 16,384, Node's). */
  maxHeaderBytes?: number;
  logger?: HttpLogger;
}

export interface RunningHttpServer {
  server: Server;
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  /**
   * Stops accepting connections, closes idle keep-alive sockets at once and the others as soon
   * as their response is sent (`Connection: close`), and destroys whatever is left after
   * shutdownTimeoutMs. Idempotent: every call returns the same promise.
   */
  close(): Promise<void>;
}

export const DEFAULT_HTTP_SERVER_TIMEOUTS = Object.freeze({
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  shutdownTimeoutMs: 10_000,
  maxHeaderBytes: 16_384,
});

/** How often idle sockets are swept while closing (a socket turns idle when its last response ends). */
const CLOSE_SWEEP_MS = 50;

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`http server option ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/** A protocol-level error answered before Express ever sees the request, as JSON like every other error. */
function protocolErrorResponse(status: number, reason: string, code: ErrorCode, message: string): string {
  const json = JSON.stringify(errorBody(code, message));
  return (
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(json)}\r\nCache-Control: no-store\r\n\r\n${json}`
  );
}

function onClientError(err: Error & { code?: string }, socket: Duplex): void {
  // A response already under way (or a socket already gone) cannot take a second status line.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || pending?.headersSent === true) {
    socket.destroy();
    return;
  }
  let response: string;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    response = protocolErrorResponse(408, 'Request Timeout', 'REQUEST_TIMEOUT', 'request not received within the request timeout');
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    response = protocolErrorResponse(431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'request headers are too large');
  } else {
    response = protocolErrorResponse(400, 'Bad Request', 'BAD_REQUEST', 'malformed HTTP request');
  }
  socket.end(response);
  // A client that never reads must not keep the socket half-open.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/** Listens with the slowloris guards set and returns a handle with a graceful, idempotent close. */
export function startHttpServer(app: RequestListener, options: HttpServerOptions): Promise<RunningHttpServer> {
  const d = DEFAULT_HTTP_SERVER_TIMEOUTS;
  const requestTimeout = positive('requestTimeoutMs', options.requestTimeoutMs ?? d.requestTimeoutMs);
  // Node requires headersTimeout <= requestTimeout.
  const headersTimeout = Math.min(positive('headersTimeoutMs', options.headersTimeoutMs ?? d.headersTimeoutMs), requestTimeout);
  const keepAliveTimeout = positive('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? d.keepAliveTimeoutMs);
  const shutdownTimeout = positive('shutdownTimeoutMs', options.shutdownTimeoutMs ?? d.shutdownTimeoutMs);
  const maxHeaderSize = positive('maxHeaderBytes', options.maxHeaderBytes ?? d.maxHeaderBytes);
  const logger = options.logger ?? silentHttpLogger;

  const server = http.createServer(
    {
      requestTimeout,
      headersTimeout,
      keepAliveTimeout,
      maxHeaderSize,
      // Node answers a Host-less HTTP/1.1 request with a bare, body-less 400 of its own; the API
      // never reads Host, so let such requests through to get the API's own JSON answers.
      requireHostHeader: false,
      // Node checks the two timeouts only this often (default 30 s); a quarter of the
      // shorter one keeps the cut-off close to what was configured.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(headersTimeout / 4))),
    },
    app,
  );
  server.on('clientError', onClientError);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      // Answers sent from now on tell the client not to reuse the connection.
      server.prependListener('request', (_req, res) => {
        if (!res.headersSent) res.setHeader('Connection', 'close');
      });
      const sweep = setInterval(() => server.closeIdleConnections(), CLOSE_SWEEP_MS);
      const deadline = setTimeout(() => {
        logger.warn('http server shutdown deadline reached; closing remaining connections', { shutdown_timeout_ms: shutdownTimeout });
        server.closeAllConnections();
      }, shutdownTimeout);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return new Promise<RunningHttpServer>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      server.on('error', (err) => logger.error('http server error', { error: err.message }));
      const port = (server.address() as AddressInfo).port;
      logger.info('http server listening', { port, host: options.host ?? '*' });
      resolve({ server, port, close });
    });
  });
}

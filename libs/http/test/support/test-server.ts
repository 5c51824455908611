import { Registry } from 'prom-client';
import { createHttpApp, startHttpServer, type HttpAppOptions, type HttpServerOptions, type RunningHttpServer } from '@sentiment/http';
import { fakeDeps, recordingLogger, type FakeState, type RecordedLog } from './fake-deps';

export interface TestServer {
  url: string;
  port: number;
  state: FakeState;
  registry: Registry;
  logs: RecordedLog[];
  running: RunningHttpServer;
  close(): Promise<void>;
}

/** The real app on a real server, port 0, loopback; rate limit off unless asked for. */
export async function startTestServer(
  options: { app?: HttpAppOptions; server?: Partial<HttpServerOptions>; registry?: Registry } = {},
): Promise<TestServer> {
  const registry = options.registry ?? new Registry();
  const { deps, state } = fakeDeps(registry);
  const { logger, lines } = recordingLogger();
  const app = createHttpApp({ ...deps, logger, options: { rateLimitMax: 0, ...options.app } });
  const running = await startHttpServer(app, { port: 0, host: '127.0.0.1', logger, ...options.server });
  return {
    url: `http://127.0.0.1:${running.port}`,
    port: running.port,
    state,
    registry,
    logs: lines,
    running,
    close: () => running.close(),
  };
}

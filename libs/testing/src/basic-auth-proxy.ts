import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BasicAuthProxy {
  /** `target` with this proxy's origin: what a client is pointed at. */
  readonly url: string;
  /** Requests seen, with whether they carried the right credentials. */
  readonly requests: { path: string; authorized: boolean }[];
  close(): Promise<void>;
}

/**
 * An HTTP reverse proxy on 127.0.0.1 that demands basic auth before forwarding to `target`, as
 * a gateway in front of a Schema Registry does (Apicurio's own basic auth needs an OpenID Connect
 * server the harness does not run). 401 with `WWW-Authenticate` without the right credentials.
 */
export async function startBasicAuthProxy(target: string, username: string, password: string): Promise<BasicAuthProxy> {
  const upstream = new URL(target);
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const requests: { path: string; authorized: boolean }[] = [];
  const server: Server = createServer((req, res) => {
    const authorized = req.headers.authorization === expected;
    requests.push({ path: req.url ?? '', authorized });
    if (!authorized) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"', 'content-type': 'application/json' }).end('{"error_code":401,"message":"Unauthorized"}');
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    delete headers.authorization;
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, '')}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

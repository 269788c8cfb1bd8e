import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';

export interface HealthServerOptions {
  port: number;
  registry: Registry;
  /** Resolves when the process can do its work (e.g. Redis answers); rejects with the reason otherwise. */
  check: () => Promise<void>;
  logger: Logger;
  host?: string;
}

export interface HealthServer {
  /** The port actually listened on (0 in the options picks a free one), or undefined when it could not bind. */
  readonly port: number | undefined;
  close(): Promise<void>;
}

/** `/healthz` (200 ok / 503 with the reason) and `/metrics` (Prometheus text) for one process. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      options.check().then(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
        (error: unknown) =>
          response
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'unavailable', reason: (error as Error)?.message ?? String(error) })),
      );
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
    }
  });
  const port = await new Promise<number | undefined>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      options.logger.warn(
        { port: options.port, code: error.code },
        'health server not started (port in use?): set HEALTH_PORT to another port, or 0 for any free port',
      );
      resolve(undefined);
    });
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  if (port !== undefined) options.logger.info({ port }, 'health and metrics on /healthz and /metrics');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (port === undefined) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { listenOnFreePort } from './listen-on-free-port.js';
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
  /**
   * The port listened on: the one asked for, else (held by another process) the next free one, logged at
   * warn; 0 in the options picks any free port; undefined when it could not listen at all.
   */
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
  const host = options.host ?? '127.0.0.1';
  const port = await listenOnFreePort(server, host, options.port).then(
    (listening) => {
      if (options.port !== 0 && listening !== options.port) {
        options.logger.warn(
          { port: listening, wanted: options.port },
          `health port ${options.port} is in use (another lstm-bot process on this host?): ` +
            `/healthz and /metrics are on port ${listening} instead; give each process its own HEALTH_PORT`,
        );
      } else options.logger.info({ port: listening }, `/healthz and /metrics on http://${host}:${listening}`);
      return listening;
    },
    (error: NodeJS.ErrnoException) => {
      options.logger.error(
        { host, port: options.port, code: error.code },
        `no /healthz nor /metrics: cannot listen on ${host}:${options.port} (${error.code ?? error.message})`,
      );
      return undefined;
    },
  );
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

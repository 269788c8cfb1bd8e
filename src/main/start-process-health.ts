import type { Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import { startHealthServer, type HealthServer } from '../ops/health-server.js';
import type { Logger } from '../ops/logger.js';

/** A process's `/healthz` and `/metrics` on `HEALTH_HOST:HEALTH_PORT`. */
export function startProcessHealth(
  config: Pick<Config, 'HEALTH_HOST' | 'HEALTH_PORT'>,
  registry: Registry,
  check: () => Promise<void>,
  logger: Logger,
): Promise<HealthServer> {
  return startHealthServer({ host: config.HEALTH_HOST, port: config.HEALTH_PORT, registry, check, logger });
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

// `merge: true` resolves the `<<:` keys the way docker compose does.
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('runs Redis, the bot, the generation worker and the trainer as separate services', () => {
    expect(Object.keys(services).sort()).toEqual(['bot', 'redis', 'trainer', 'worker']);
    expect(services.bot?.command).toEqual(['bot']);
    expect(services.worker?.command).toEqual(['worker']);
    expect(services.trainer?.command).toEqual(['trainer']);
  });

  it('gives Redis AOF persistence, no eviction and a volume', () => {
    const redis = services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    const command = redis.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(redis.volumes).toContain('redis-data:/data');
  });

  it.each(['bot', 'worker', 'trainer'])('builds %s from the Dockerfile and points it at the shared Redis', (name) => {
    const service = services[name]!;
    expect(service.build).toBe('.');
    expect(service.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(service.depends_on?.redis?.condition).toBe('service_healthy');
    expect(service.healthcheck?.test.join(' ')).toContain('/healthz');
  });

  it.each(['bot', 'worker', 'trainer'])('mounts the shared models volume in %s at MODELS_DIR', (name) => {
    const service = services[name]!;
    const modelsDir = service.environment?.MODELS_DIR;
    expect(modelsDir).toBeTruthy();
    expect(service.volumes).toContain(`models:${modelsDir}`);
  });

  it('declares every named volume it uses', () => {
    const used = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0]!);
    for (const name of used) expect(compose.volumes).toHaveProperty(name);
  });

  it('sets only environment keys the config schema knows, each with a valid value', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'redis') continue;
      const env = service.environment ?? {};
      for (const key of Object.keys(env)) expect(configSchema.shape, `${name}: ${key}`).toHaveProperty(key);
      expect(configSchema.safeParse(env).success, name).toBe(true);
    }
  });

  it('starts the processes through the lstm-bot command line in the Dockerfile', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/lstm-bot.js"\]/);
    expect(dockerfile).toMatch(/FROM node:20/);
  });
});

import { spawnSync } from 'node:child_process';
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
    // The image's HEALTHCHECK applies unless a service overrides it.
    if (service.healthcheck) expect(service.healthcheck.test.join(' ')).toContain('/healthz');
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
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => /^[A-Z]+ /.test(line));

  it('starts the processes through the lstm-bot command line', () => {
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/lstm-bot.js"\]/);
  });

  it('builds on the current Node LTS by default, from a base image given as a build argument', () => {
    expect(instructions[0]).toBe('ARG BASE_IMAGE=node:24-bookworm-slim');
    const froms = instructions.filter((line) => line.startsWith('FROM '));
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^FROM \$\{BASE_IMAGE\}( AS \w+)?$/);
  });

  it('installs with scripts/install.sh, taking the offline libtensorflow as a build argument', () => {
    expect(instructions).toContain('ARG TFJS_NODE_BASE_URI=');
    expect(instructions.find((line) => line.startsWith('RUN ') && line.includes('scripts/install.sh'))).toBeTruthy();
  });

  it('never copies config/lstm-bot.yaml (it may hold tokens) into the image', () => {
    const copies = instructions.filter((line) => /^COPY .*\bconfig\b/.test(line));
    expect(copies).toEqual(['COPY config/lstm-bot.example.yaml ./config/']);
    expect(readFileSync('.dockerignore', 'utf8').split('\n')).toContain('config/lstm-bot.yaml');
    const ignored = spawnSync('git', ['check-ignore', '-q', 'config/lstm-bot.yaml']);
    expect(ignored.status, 'git check-ignore config/lstm-bot.yaml').toBe(0);
  });

  it('runs as node with mount points node owns, so fresh named volumes are writable', () => {
    const user = instructions.findIndex((line) => line === 'USER node');
    const chown = instructions.findIndex((line) => /chown -R node:node \/var\/lib\/lstm-bot/.test(line));
    expect(chown).toBeGreaterThan(-1);
    expect(chown).toBeLessThan(user);
    for (const name of ['models', 'data']) {
      const mounted = Object.values(services)
        .flatMap((s) => s.volumes ?? [])
        .filter((v) => v.startsWith(`${name}:`));
      for (const volume of mounted) expect(volume.split(':')[1]).toBe(`/var/lib/lstm-bot/${name}`);
    }
  });

  it('has a HEALTHCHECK that asks /healthz on HEALTH_PORT', () => {
    const check = instructions.find((line) => line.startsWith('HEALTHCHECK '));
    expect(check).toContain('/healthz');
    expect(check).toContain('process.env.HEALTH_PORT');
  });
});

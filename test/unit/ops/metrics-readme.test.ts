import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/ops/metrics.js';
import { registerPipelineGauges } from '../../../src/ops/pipeline-gauges.js';

const readme = readFileSync('README.md', 'utf8');

describe("the README's metrics table", () => {
  it('names every metric of the app that a process serves', async () => {
    const metrics = createMetrics();
    const redis = new Redis({ lazyConnect: true });
    const close = registerPipelineGauges(metrics.registry, { redis, prefix: 'readme', queues: [] });
    const names = metrics.registry
      .getMetricsAsArray()
      .map((m) => m.name)
      .filter((name) => !/^lstm_bot_(process|nodejs)_/.test(name));
    await close();
    redis.disconnect();
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) expect(readme, name).toMatch(new RegExp(`\\| \`${name}\`[ ,|]`));
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/ops/logger.js';
import { logRedisErrors } from '../../../src/ops/log-redis-errors.js';

function jsonLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ format: 'json', level: 'info', destination }), lines };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' });

describe('logRedisErrors', () => {
  it('writes a repeated reason at warn once per window, then again with the count left out', () => {
    const { logger, lines } = jsonLogger();
    let nowMs = 0;
    const onError = logRedisErrors(logger, 'generation worker', { windowMs: 60_000, now: () => nowMs });
    for (let i = 0; i < 50; i += 1) onError(refused());
    onError(new Error('Connection is closed.'));
    nowMs = 60_000;
    onError(refused());
    expect(lines.map((l) => [l.level, l.msg, l.repeatedSinceLast])).toEqual([
      [40, 'generation worker: connect ECONNREFUSED 127.0.0.1:6390', undefined],
      [40, 'generation worker: Connection is closed.', undefined],
      [40, 'generation worker: connect ECONNREFUSED 127.0.0.1:6390', 49],
    ]);
    expect(lines[0]).toMatchObject({ source: 'generation worker', err: { code: 'ECONNREFUSED' } });
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { redactUrl } from '../../../src/config/redact-url.js';

const PASSWORD = 'pw-Sekr3t';

describe('redactUrl', () => {
  it.each([
    ['http://:pw-Sekr3t@redis.example:6379', 'http://***@redis.example:6379'],
    ['redis://default:pw-Sekr3t@10.0.0.5:6379/2', 'redis://***@10.0.0.5:6379/2'],
    ['rediss://:pw-Sekr3t@host', 'rediss://***@host'],
    ['redis://:pw-Sekr3t@@host', 'redis://***@host'],
    ['redis://:pw-Sekr3t/x:y@host:1', 'redis://***@host:1'],
    ['redis://:pw-Sekr3t \n@host', 'redis://***@host'],
    [':pw-Sekr3t@host:6379', '***@host:6379'],
    ['redis://host:6379?password=pw-Sekr3t&db=1', 'redis://host:6379?password=***&db=1'],
  ])('shows %j as %j', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
    expect(redactUrl(url)).not.toContain(PASSWORD);
  });

  it('keeps a URL without credentials as it is', () => {
    expect(redactUrl('redis://127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
  });
});

describe('a bad REDIS_URL in a config error', () => {
  it.each(['http://:pw-Sekr3t@host:6379', 'redis//:pw-Sekr3t@host', 'redis://:p@ss@host:x'.replace('p@ss', PASSWORD)])(
    'names the key but never the password of %j',
    (url) => {
      let error: unknown;
      try {
        loadConfig({ env: { REDIS_URL: url, DISCORD_API_URL: `ftp://u:${PASSWORD}@h x` } });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('REDIS_URL');
      expect(message).not.toContain(PASSWORD);
      expect(message).toContain('***@');
    },
  );
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { describeRedisUrl, parseRedisUrl } from '../../../src/config/redis-target.js';

describe('parseRedisUrl', () => {
  it('reads one server with its database', () => {
    expect(parseRedisUrl('redis://:pw@10.0.0.5:6380/4')).toEqual({
      kind: 'server',
      url: 'redis://:pw@10.0.0.5:6380/4',
      db: 4,
    });
  });

  it('reads a Sentinel set-up: the sentinels, the master name, the database and the passwords', () => {
    expect(parseRedisUrl('rediss+sentinel://app:p%40ss@s1:26379,[::1]:26380/my-master/2?sentinelPassword=x')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'my-master',
      db: 2,
      username: 'app',
      password: 'p@ss',
      sentinelPassword: 'x',
      tls: true,
    });
  });

  it('reads a Cluster from its seed nodes', () => {
    expect(parseRedisUrl('redis+cluster://:pw@n1:7000,n2:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      db: 0,
      password: 'pw',
      tls: false,
    });
  });

  it.each([
    ['http://x:1', /redis:\/\/, rediss:\/\/, redis\+sentinel:\/\/ or redis\+cluster:\/\//],
    ['redis+cluster://n1:7000/3', /only database 0/],
    ['redis+sentinel://s1:26379', /\/<master name>/],
    ['redis+sentinel://s1/m', /"s1" is not a host:port/],
    ['redis+cluster://n1:99999', /"n1:99999" is not a host:port/],
  ])('refuses %s, saying why', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  it('hides passwords when describing a URL', () => {
    expect(describeRedisUrl('redis+sentinel://:pw@s1:26379/m?sentinelPassword=spw')).toBe(
      'redis+sentinel://***@s1:26379/m?sentinelPassword=***',
    );
  });
});

describe('REDIS_URL in the config', () => {
  it('puts the keys of a Cluster deployment under the {QUEUE_PREFIX} hash tag, and only those', () => {
    const env = { QUEUE_PREFIX: 'bots', CONFIG_FILE: '/dev/null' };
    expect(loadConfig({ env: { ...env, REDIS_URL: 'redis+cluster://n1:7000' } }).QUEUE_PREFIX).toBe('{bots}');
    expect(loadConfig({ env: { ...env, REDIS_URL: 'redis+sentinel://s1:26379/m' } }).QUEUE_PREFIX).toBe('bots');
    expect(loadConfig({ env }).QUEUE_PREFIX).toBe('bots');
  });

  it.each([
    'redis://:hun@ter2@127.0.0.1:6379',
    'redis+sentinel://:hun@ter2@s1:26379/m',
    'redis://:hun/ter2@127.0.0.1:6379',
  ])('refuses %s (an unencoded "@" or "/" in the password), saying to percent-encode, without the password', (url) => {
    const load = () => loadConfig({ env: { REDIS_URL: url, CONFIG_FILE: '/dev/null' } });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/REDIS_URL: .*percent-encode/);
    expect(load).not.toThrow(/hun|ter2/);
  });

  it('names a bad REDIS_URL without showing its password', () => {
    const load = () => loadConfig({ env: { REDIS_URL: 'redis+cluster://:hunter2@n1', CONFIG_FILE: '/dev/null' } });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/REDIS_URL.*"n1" is not a host:port/);
    expect(load).not.toThrow(/hunter2/);
  });
});

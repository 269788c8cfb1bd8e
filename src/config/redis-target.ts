import { redactUrl } from './redact-url.js';
import { CodedError } from '../errors/coded-error.js';

/** One `host:port` of a Sentinel or Cluster set-up. */
export interface RedisEndpoint {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Where the app's Redis is, from `REDIS_URL`:
 * - `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS): one server;
 * - `redis+sentinel://[user:password@]host:port[,host:port...]/<master name>[/db][?sentinelPassword=...]`:
 *   the master that these Sentinels name, followed across fail-overs;
 * - `redis+cluster://[user:password@]host:port[,host:port...]`: a Redis Cluster, from any of its nodes.
 */
export type RedisTarget =
  | { kind: 'server'; url: string; db: number }
  | ({
      kind: 'sentinel';
      sentinels: RedisEndpoint[];
      name: string;
      db: number;
      sentinelPassword?: string;
    } & Credentials)
  | ({ kind: 'cluster'; nodes: RedisEndpoint[]; db: 0 } & Credentials);

const MULTI = /^(rediss?)\+(sentinel|cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?$/;

/** Parses `REDIS_URL`; throws a `CodedError` (`REDIS_URL_INVALID`) saying what is wrong. */
export function parseRedisUrl(url: string): RedisTarget {
  refuseUnencodedAt(url);
  const multi = MULTI.exec(url);
  if (!multi) return parseServerUrl(url);
  const [, scheme, kind, auth, hosts = '', path = '', query = ''] = multi;
  const credentials: Credentials = { ...parseAuth(auth), tls: scheme === 'rediss' };
  const endpoints = hosts.split(',').map(parseEndpoint);
  const segments = path.split('/').filter(Boolean);
  if (kind === 'cluster') {
    if (segments.length > 0)
      throw new CodedError('REDIS_URL_INVALID', 'a Redis Cluster has only database 0: drop the path');
    return { kind: 'cluster', nodes: endpoints, db: 0, ...credentials };
  }
  const [name, db = '0', ...rest] = segments;
  if (!name || rest.length > 0)
    throw new CodedError('REDIS_URL_INVALID', 'a Sentinel URL ends with /<master name> and an optional /<database>');
  const sentinelPassword = new URLSearchParams(query).get('sentinelPassword') ?? undefined;
  return {
    kind: 'sentinel',
    sentinels: endpoints,
    name: decodeURIComponent(name),
    db: parseDb(db),
    ...credentials,
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

/**
 * On a Redis Cluster every key of the app starts `{QUEUE_PREFIX}`: the braces make the prefix a hash tag,
 * so all keys (BullMQ's queues, settings, history, rate limits) live in one slot and multi-key commands
 * and Lua scripts work as on one server.
 */
export function withClusterPrefix<C extends { REDIS_URL?: string; QUEUE_PREFIX: string }>(config: C): C {
  if (!config.REDIS_URL || parseRedisUrl(config.REDIS_URL).kind !== 'cluster') return config;
  return { ...config, QUEUE_PREFIX: `{${config.QUEUE_PREFIX}}` };
}

/** The URL without its password, for logs and messages. */
export function describeRedisUrl(url: string): string {
  return redactUrl(url);
}

/**
 * An `@` (or a `/` before it) left unencoded in a user name or password would move where the host starts:
 * `redis://:pa@ss@host` is read as the password `pa%40ss` by some parsers and as the host `ss@host` by others.
 * Refused before anything else is parsed, so that no part of the password reaches a message.
 */
function refuseUnencodedAt(url: string): void {
  const beforeQuery = url.replace(/[?#][^]*$/, '');
  const rest = beforeQuery.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const at = rest.lastIndexOf('@');
  if (at >= 0 && (rest.indexOf('@') !== at || rest.slice(0, at).includes('/')))
    throw new CodedError(
      'REDIS_URL_INVALID',
      'has an unencoded "@" or "/" in its user name or password: percent-encode them ("@" as %40, ":" as %3A, "/" as %2F)',
    );
}

function parseServerUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CodedError(
      'REDIS_URL_INVALID',
      'must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL',
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new CodedError(
      'REDIS_URL_INVALID',
      'must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL',
    );
  return { kind: 'server', url, db: parseDb(parsed.pathname.slice(1) || '0') };
}

function parseAuth(auth: string | undefined): Pick<Credentials, 'username' | 'password'> {
  if (!auth) return {};
  const at = auth.indexOf(':');
  const username = decodeURIComponent(at < 0 ? auth : auth.slice(0, at));
  const password = at < 0 ? undefined : decodeURIComponent(auth.slice(at + 1));
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function parseEndpoint(text: string): RedisEndpoint {
  const match = /^([^:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw new CodedError('REDIS_URL_INVALID', `"${text}" is not a host:port`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function parseDb(text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new CodedError('REDIS_URL_INVALID', `"${text}" is not a database number`);
  return Number(text);
}

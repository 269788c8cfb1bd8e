/** The socket-level error behind a Redis client's error (a Cluster wraps it as `lastNodeError`). */
export function redisErrorReason(error: unknown): { message: string; code?: string } {
  let cause = error as { message?: unknown; code?: unknown; lastNodeError?: unknown } | undefined;
  while (cause?.lastNodeError) cause = cause.lastNodeError as typeof cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : String(error);
  return code === undefined ? { message } : { message, code };
}

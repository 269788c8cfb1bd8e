import pTimeout from 'p-timeout';

/** Waits for `work` at most `ms`; resolves `true` if it finished (either way), `false` on timeout. */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = work.then(
    () => true,
    () => true,
  );
  return pTimeout(settled, { milliseconds: ms, fallback: () => false });
}

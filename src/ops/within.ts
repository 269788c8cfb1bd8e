/** Waits for `work` at most `ms`; resolves `true` if it finished (either way), `false` on timeout. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = work.then(
    () => true as const,
    () => true as const,
  );
  const finished = await Promise.race([done, late]);
  clearTimeout(timer);
  return finished;
}

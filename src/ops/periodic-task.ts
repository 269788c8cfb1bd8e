/**
 * Runs `task` every `everyMs` (not again while a run is still going), without keeping the process
 * alive; `stop` waits for a run in progress. A failing run is handed to `onError` and the next one
 * runs as planned.
 */
export class PeriodicTask {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#running ??= this.task()
        .catch(this.onError)
        .finally(() => (this.#running = undefined));
    }, this.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}

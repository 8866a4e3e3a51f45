/**
 * The background prune of every store whose backend does not expire records itself: an
 * unref'd interval (it never keeps a process alive) that runs one prune at a time. Its
 * failures have no caller, so they go to the store's `onBackgroundError`; a prune cut short by
 * `close()` is not a failure.
 */
import { reportSafely } from './background.js';
import { describeError } from './failures.js';

/** Runs `prune` every `intervalMs` until stopped. */
export class PruneScheduler {
  readonly #timer: NodeJS.Timeout;
  #running = false;
  #stopped = false;

  constructor(
    prune: () => Promise<unknown>,
    intervalMs: number,
    report: (error: Error) => void,
    source: string,
  ) {
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = true;
      prune()
        .catch((err: unknown) => {
          if (this.#stopped) return;
          reportSafely(report, err instanceof Error ? err : new Error(describeError(err)), source);
        })
        .finally(() => {
          this.#running = false;
        });
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stop the interval (a prune under way finishes, or fails quietly). */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }
}

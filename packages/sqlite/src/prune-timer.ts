/**
 * The background prune: an unref'd interval (it never keeps a process alive) that runs the
 * store's `prune()`, one at a time. Its failures have no caller to reach, so they become
 * process warnings: visible, never an unhandled rejection, never silently dropped.
 */
import { toSessionError } from '@sessions/core';
import { SOURCE } from './options.js';

/** Runs `prune` every `intervalMs` until stopped. */
export class PruneTimer {
  readonly #timer: NodeJS.Timeout;
  #running = false;
  #stopped = false;

  constructor(prune: () => Promise<number>, intervalMs: number) {
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = true;
      prune()
        .catch((err: unknown) => {
          // A prune cut short by close() is not a failure worth reporting.
          if (!this.#stopped) process.emitWarning(toSessionError(err, SOURCE, 'background prune'));
        })
        .finally(() => {
          this.#running = false;
        });
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stop the interval (a prune under way finishes or fails quietly). */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }
}

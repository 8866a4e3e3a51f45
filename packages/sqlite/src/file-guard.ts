/**
 * Noticing that the database file was deleted or replaced under a running store: the connection
 * keeps writing into the inode it opened and, in WAL mode, every commit succeeds into a file
 * nobody can open again. So each write compares the path's device and inode with the opened
 * ones before it is acknowledged (a `stat`, ~2 µs next to 25 µs or more for a commit); reads
 * lose no data, and a stat would cost a third of a cached read, so a timer checks for them once
 * a second. Not `fstat` on a descriptor of our own (`nlink === 0`): closing any descriptor of a
 * file drops every POSIX lock the process holds on it, SQLite's included.
 */
import { type Stats, statSync } from 'node:fs';
import { unavailable } from './options.js';

const BACKGROUND_CHECK_INTERVAL_MS = 1000;

/** Watches one database file (a no-op in memory). Once lost, the file stays lost. */
export class FileGuard {
  readonly #file: string | undefined;
  readonly #dev: number = 0;
  readonly #ino: number = 0;
  readonly #timer: NodeJS.Timeout | undefined;
  /** Why the file counts as lost; each operation then gets its own error with it. */
  #lost: { message: string; cause: unknown } | undefined;

  /** Record the identity of `file` as it is now (the file the connection just opened). */
  constructor(file: string | undefined) {
    const stats = file === undefined ? undefined : statSync(file, { throwIfNoEntry: false });
    // A database SQLite has not created on disk (a temporary one) has nothing to watch.
    if (stats === undefined) return;
    this.#file = file;
    this.#dev = stats.dev;
    this.#ino = stats.ino;
    // It only records a lost file: any other stat failure is for the next write to report.
    this.#timer = setInterval(() => {
      try {
        this.check();
      } catch {}
    }, BACKGROUND_CHECK_INTERVAL_MS).unref();
  }

  /** Throw if the file was found gone. A field read: call it before any I/O. */
  assertUsable(): void {
    if (this.#lost !== undefined) throw unavailable(this.#lost.message, this.#lost.cause);
  }

  /** Throw unless the path still leads to the opened file (other stat failures as they are). */
  check(): void {
    if (this.#file === undefined) return;
    this.assertUsable();
    let stats: Stats;
    try {
      stats = statSync(this.#file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      throw this.#lose('deleted', err);
    }
    const { dev, ino } = stats;
    if (ino === this.#ino && dev === this.#dev) return;
    const moved = `${this.#file} is now inode ${dev}:${ino}, not ${this.#dev}:${this.#ino}`;
    throw this.#lose('replaced', new Error(moved));
  }

  /** Stop the background check. */
  close(): void {
    clearInterval(this.#timer);
  }

  /** Record the file as lost (every later operation fails with it) and return the error. */
  #lose(how: 'deleted' | 'replaced', cause: unknown): Error {
    const message =
      `the database file ${this.#file} was ${how} after the store opened it: whatever this store writes now ` +
      'lands in a file no one can open, so it refuses every operation; close it and create a new store (or restart the process)';
    this.#lost = { message, cause };
    return unavailable(message, cause);
  }
}

/**
 * Detecting that the database file was deleted or replaced under a running store.
 *
 * An open SQLite connection keeps writing into the inode it opened, and in WAL mode SQLite
 * itself never notices that the path now leads elsewhere (or nowhere): every commit succeeds,
 * into a file nobody can open again. So the store compares the path's device and inode with
 * the ones it opened after every write, before acknowledging it (a `stat` costs about 2 µs
 * next to 25 µs or more for a commit). Reads cannot lose data, and a stat would cost a third
 * of a cached read, so for them an unref'd timer checks once a second in the background.
 * Once the file is found gone, every operation fails: the connection points at data no other
 * process can see.
 *
 * Why not `fstat` on a descriptor of our own (`nlink === 0`)? Closing any descriptor of a
 * file drops every POSIX lock the process holds on it, SQLite's included: a second descriptor
 * on a live database is a corruption hazard.
 */
import { type Stats, statSync } from 'node:fs';
import { UnavailableError } from '@sessions/core';
import { SOURCE } from './options.js';

const BACKGROUND_CHECK_INTERVAL_MS = 1000;

/** Watches one database file; a no-op for in-memory databases. */
export class FileGuard {
  readonly #file: string | undefined;
  readonly #dev: number;
  readonly #ino: number;
  readonly #timer: NodeJS.Timeout | undefined;
  /** Why the file counts as lost; each operation then gets its own error with it. */
  #lost: { message: string; cause: unknown } | undefined;

  /** Record the identity of `file` as it is now (the file the connection just opened). */
  constructor(file: string | undefined) {
    const stats = file === undefined ? undefined : statSync(file, { throwIfNoEntry: false });
    // A database SQLite has not created on disk (a temporary one) has nothing to watch.
    this.#file = stats === undefined ? undefined : file;
    this.#dev = stats?.dev ?? 0;
    this.#ino = stats?.ino ?? 0;
    if (this.#file === undefined) return;
    // The check for reads: it only records a lost file (every later operation then fails with
    // it); any other stat failure is left to the next write's check, which reports it.
    this.#timer = setInterval(() => {
      try {
        this.check();
      } catch {}
    }, BACKGROUND_CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Throw if the file was found gone. A field read: call it before any I/O. */
  assertUsable(): void {
    const lost = this.#lost;
    if (lost !== undefined) throw new UnavailableError(SOURCE, lost.message, { cause: lost.cause });
  }

  /**
   * Throw unless the path still leads to the file the connection has open. A stat that fails
   * otherwise (EACCES...) is thrown as it is, for the kit to report: it proves nothing lost.
   */
  check(): void {
    if (this.#file === undefined) return;
    this.assertUsable();
    let stats: Stats;
    try {
      stats = statSync(this.#file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      throw this.#markLost('deleted', err);
    }
    const { dev, ino } = stats;
    if (ino === this.#ino && dev === this.#dev) return;
    const moved = `${this.#file} is now inode ${dev}:${ino}, not ${this.#dev}:${this.#ino}`;
    throw this.#markLost('replaced', new Error(moved));
  }

  /** Stop the background check. */
  close(): void {
    clearInterval(this.#timer);
  }

  #markLost(how: 'deleted' | 'replaced', cause: unknown): UnavailableError {
    this.#lost = {
      message:
        `the database file ${this.#file} was ${how} after the store opened it: whatever this store writes now ` +
        'lands in a file no one can open, so it refuses every operation; close it and create a new store (or restart the process)',
      cause,
    };
    return new UnavailableError(SOURCE, this.#lost.message, { cause });
  }
}

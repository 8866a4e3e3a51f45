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
import { statSync } from 'node:fs';
import { UnavailableError } from '@sessions/core';

const BACKGROUND_CHECK_INTERVAL_MS = 1000;

interface Lost {
  message: string;
  cause: unknown;
}

/** Watches one database file; a no-op for in-memory databases. */
export class FileGuard {
  readonly #file: string | undefined;
  readonly #source: string;
  readonly #dev: number;
  readonly #ino: number;
  readonly #timer: NodeJS.Timeout | undefined;
  /** Why the file counts as lost; each operation then gets its own error with it. */
  #lost: Lost | undefined;

  /** Record the identity of `file` as it is now (the file the connection just opened). */
  constructor(file: string | undefined, source: string) {
    this.#source = source;
    const stats = file === undefined ? undefined : statSync(file, { throwIfNoEntry: false });
    // A database SQLite has not created on disk (a temporary one) has nothing to watch.
    this.#file = stats === undefined ? undefined : file;
    this.#dev = stats?.dev ?? 0;
    this.#ino = stats?.ino ?? 0;
    if (this.#file !== undefined) {
      this.#timer = setInterval(() => this.#checkInBackground(), BACKGROUND_CHECK_INTERVAL_MS);
      this.#timer.unref();
    }
  }

  /** Throw if the file was found gone. A field read: call it before any I/O. */
  assertUsable(): void {
    if (this.#lost !== undefined) throw this.#lostError(this.#lost);
  }

  /** Throw unless the path still leads to the file the connection has open. */
  check(): void {
    if (this.#file === undefined) return;
    if (this.#lost !== undefined) throw this.#lostError(this.#lost);
    let dev: number;
    let ino: number;
    try {
      ({ dev, ino } = statSync(this.#file));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new UnavailableError(this.#source, `cannot check the database file ${this.#file}`, {
          cause: err,
        });
      }
      throw this.#markLost('deleted', err);
    }
    if (ino === this.#ino && dev === this.#dev) return;
    throw this.#markLost(
      'replaced',
      new Error(
        `${this.#file} is now inode ${dev}:${ino}; the store opened inode ${this.#dev}:${this.#ino}`,
      ),
    );
  }

  /** Stop the background check. */
  close(): void {
    clearInterval(this.#timer);
  }

  /**
   * The once-a-second check for reads. It only records a lost file (every later operation then
   * fails with it); any other stat failure is left to the next write's check, which reports it.
   */
  #checkInBackground(): void {
    try {
      this.check();
    } catch {
      // Recorded in #lost when the file is gone; otherwise reported by the next write.
    }
  }

  #markLost(how: 'deleted' | 'replaced', cause: unknown): UnavailableError {
    this.#lost = {
      message:
        `the database file ${this.#file} was ${how} after the store opened it: whatever this store writes now ` +
        'lands in a file no one can open, so it refuses every operation; close it and create a new store (or restart the process)',
      cause,
    };
    return this.#lostError(this.#lost);
  }

  #lostError(lost: Lost): UnavailableError {
    return new UnavailableError(this.#source, lost.message, { cause: lost.cause });
  }
}

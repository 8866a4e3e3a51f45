/**
 * Stores that each break one rule the harness exists to catch, built on the honest fake client.
 * Each one reproduces a failure seen in real session stores (see issue 10).
 */
import {
  type MemoryStore,
  type SessionRecord,
  type SetResult,
  UnavailableError,
} from '@sessions/core';
import { DELIBERATE } from '../vitest.config.js';
import { type FakeServer, HonestStore, SOURCE } from './fake-backend.js';

/** Acknowledges a write at once and sends it in the background: a false success when down. */
export class AcksWithoutWaiting extends HonestStore {
  override async set(key: string, record: SessionRecord): Promise<SetResult> {
    void this.server.call((d) => d.set(key, record), true).catch(() => undefined);
    return { version: 1 };
  }
}

/** Resolves a write as successful when the connection drops under it (seen in the wild). */
export class SucceedsOnDisconnect extends HonestStore {
  override set(key: string, record: SessionRecord): Promise<SetResult> {
    return this.server.call((d) => d.set(key, record), true).catch(() => ({ version: 1 }));
  }
}

/** Waits for the server forever: no bound at all. */
export class HangsWhileDown extends HonestStore {
  protected override run<T>(
    operation: string,
    fn: (d: MemoryStore) => Promise<T>,
    write = false,
  ): Promise<T> {
    if (!this.server.up) return new Promise<T>(() => undefined);
    return super.run(operation, fn, write);
  }
}

/**
 * No deadline of its own: every failure is still UNAVAILABLE with a cause, but a call waits as
 * long as the server does not answer (a store relying on the driver noticing a dead peer).
 */
export class NoDeadline extends HonestStore {
  protected override run<T>(
    operation: string,
    fn: (d: MemoryStore) => Promise<T>,
    write = false,
  ): Promise<T> {
    return this.server.call(fn, write).catch((err: unknown) => {
      throw new UnavailableError(SOURCE, `${operation} failed: ${String(err)}`, { cause: err });
    });
  }
}

/** Lets the driver's error escape unwrapped. */
export class ThrowsRawErrors extends HonestStore {
  protected override run<T>(
    _operation: string,
    fn: (d: MemoryStore) => Promise<T>,
    write = false,
  ): Promise<T> {
    return this.server.call(fn, write);
  }
}

/** Reports failures properly, but also leaks a rejection from a "background reconnect". */
export class LeaksRejections extends HonestStore {
  protected override run<T>(
    operation: string,
    fn: (d: MemoryStore) => Promise<T>,
    write = false,
  ): Promise<T> {
    return super.run(operation, fn, write).catch((err: unknown) => {
      void Promise.reject(new Error(`${DELIBERATE}: reconnect failed`));
      throw err;
    });
  }
}

/** After the server returns, stays broken for `delayMs` (a long reconnect backoff). */
export class RecoversSlowly extends HonestStore {
  #downSince: number | undefined;
  constructor(
    server: FakeServer,
    boundMs: number,
    readonly delayMs: number,
  ) {
    super(server, boundMs);
  }
  protected override run<T>(
    operation: string,
    fn: (d: MemoryStore) => Promise<T>,
    write = false,
  ): Promise<T> {
    if (!this.server.up) this.#downSince = Date.now();
    const since = this.#downSince;
    if (since !== undefined && this.server.up && Date.now() - since < this.delayMs) {
      const cause = new Error('reconnecting');
      return Promise.reject(
        new UnavailableError(SOURCE, `${operation}: still reconnecting`, { cause }),
      );
    }
    return super.run(operation, fn, write);
  }
}

/** Waits for a locked database synchronously (a long busy_timeout): the loop freezes. */
export class BlocksTheLoop extends HonestStore {
  protected override run<T>(
    operation: string,
    fn: (d: MemoryStore) => Promise<T>,
    write = false,
  ): Promise<T> {
    if (write && this.server.locked) {
      const until = Date.now() + 150;
      while (Date.now() < until && this.server.locked) {
        // busy-wait: what a synchronous driver does inside a long busy timeout
      }
    }
    return super.run(operation, fn, write);
  }
}

/**
 * A fake "server" for the harness's self-test: our own MemoryStore behind a switch that can be
 * frozen, killed (losing everything), restarted, locked, or have its "file" replaced. It is not a
 * mock of any real backend — it exists to check the harness's own bookkeeping, with stores whose
 * behaviour (honest or broken) we control exactly.
 */
import {
  type DeleteByUserOptions,
  MemoryStore,
  SessionError,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  type StoredSession,
  UnavailableError,
} from '@sessions/core';
import type { FaultTarget } from '../src/index.js';

export const SOURCE = '@sessions/outage-self-test';

/** A driver-style error, like a socket's. */
export function connectionError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1`), { code });
}

/**
 * The fake server: 1 ms "network" latency, a freeze that parks requests until a thaw (or a
 * kill), a kill that loses everything, a write lock.
 */
export class FakeServer {
  readonly data = new MemoryStore({ pruneInterval: 0 });
  up = true;
  frozen = false;
  /** While true, writes fail at once as SQLite's SQLITE_BUSY would. */
  locked = false;
  /** Requests that arrived while frozen: answered on a thaw, reset by a kill. */
  #parked: Array<{ resume: () => void; reset: () => void }> = [];

  /** Run `fn` on the server as a request would: it may be refused, parked, or answered. */
  call<T>(fn: (data: MemoryStore) => Promise<T>, write = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      setTimeout(() => {
        if (!this.up) return reject(connectionError('ECONNREFUSED'));
        const answer = () => {
          if (write && this.locked)
            return reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
          fn(this.data).then(resolve, reject);
        };
        if (this.frozen) {
          this.#parked.push({
            resume: answer,
            reset: () => reject(connectionError('ECONNRESET')),
          });
          return;
        }
        answer();
      }, 1);
    });
  }

  /** The fault target over this server, restarted empty. */
  target(): FaultTarget {
    return {
      isEmptyAfterRestart: true,
      readBack: async (key) => (await this.data.get(key)) !== undefined,
      freeze: () => {
        this.frozen = true;
      },
      // Like SIGCONT: the server reads the requests that waited on its sockets and answers them.
      thaw: () => {
        this.frozen = false;
        for (const request of this.#parked.splice(0)) request.resume();
      },
      kill: async () => {
        this.up = false;
        this.frozen = false;
        for (const request of this.#parked.splice(0)) request.reset();
        await this.data.clear();
      },
      restart: async () => {
        await new Promise((r) => setTimeout(r, 50));
        this.up = true;
      },
    };
  }
}

/** Reject with UNAVAILABLE (carrying a timeout error as cause) if `p` takes over `ms`. */
export function bounded<T>(p: Promise<T>, ms: number, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const cause = Object.assign(new Error(`${operation} timed out`), { name: 'TimeoutError' });
      reject(
        new UnavailableError(SOURCE, `${operation} did not complete within ${ms} ms`, { cause }),
      );
    }, ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The honest client: every operation goes to the server, is bounded, and every failure is
 * UNAVAILABLE with the driver error as cause. Subclasses break one rule each.
 */
export class HonestStore implements SessionStore {
  readonly maxPayloadBytes = 1024 * 1024;
  constructor(
    protected readonly server: FakeServer,
    protected readonly boundMs: number,
  ) {}

  protected run<T>(
    operation: string,
    fn: (data: MemoryStore) => Promise<T>,
    write = false,
  ): Promise<T> {
    // A locked database is retried asynchronously (the loop stays free) until the bound.
    const attempt = async (): Promise<T> => {
      try {
        return await this.server.call(fn, write);
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        await new Promise((r) => setTimeout(r, 10));
        return attempt();
      }
    };
    return bounded(attempt(), this.boundMs, operation).catch((err: unknown) => {
      // Like a real store: typed errors pass, any failure of the "server" is an outage.
      if (err instanceof SessionError) throw err;
      throw new UnavailableError(SOURCE, `${operation} failed: ${String(err)}`, { cause: err });
    });
  }

  get(key: string): Promise<SessionRecord | undefined> {
    return this.run('get', (d) => d.get(key));
  }
  set(key: string, record: SessionRecord, options?: SetOptions): Promise<SetResult> {
    return this.run('set', (d) => d.set(key, record, options), true);
  }
  touch(key: string, expiresAt: number): Promise<boolean> {
    return this.run('touch', (d) => d.touch(key, expiresAt), true);
  }
  delete(key: string): Promise<boolean> {
    return this.run('delete', (d) => d.delete(key), true);
  }
  listByUser(userId: string): Promise<StoredSession[]> {
    return this.run('listByUser', (d) => d.listByUser(userId));
  }
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return this.run('deleteByUser', (d) => d.deleteByUser(userId, options), true);
  }
  clear(): Promise<void> {
    return this.run('clear', (d) => d.clear(), true);
  }
  async close(): Promise<void> {}
}

/** A fake database file: `replace()` swaps it while open handles keep the old one. */
export class FakeFile {
  current = new MemoryStore({ pruneInterval: 0 });
  replace(): void {
    this.current = new MemoryStore({ pruneInterval: 0 });
  }
}

/**
 * A store holding a handle on a {@link FakeFile}. The careful one checks, before each
 * operation, that its handle is still the file at the path (as a file identity check would).
 */
export class FileHandleStore extends HonestStore {
  readonly #handle: MemoryStore;
  constructor(
    readonly file: FakeFile,
    boundMs: number,
    readonly checksIdentity: boolean,
  ) {
    super(new FakeServer(), boundMs);
    this.#handle = file.current;
  }
  protected override run<T>(operation: string, fn: (data: MemoryStore) => Promise<T>): Promise<T> {
    if (this.checksIdentity && this.file.current !== this.#handle) {
      return Promise.reject(
        new UnavailableError(SOURCE, `${operation}: the database file was deleted or replaced`),
      );
    }
    return fn(this.#handle);
  }
}

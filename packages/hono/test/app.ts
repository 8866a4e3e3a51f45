// The Hono app every middleware test drives, a one-cookie browser for app.request, and a
// store wrapper that counts writes.

import { setTimeout as sleep } from 'node:timers/promises';
import { hashSessionToken, type SessionStore, UnavailableError } from '@sessions/core';
import { type Context, Hono } from 'hono';
import {
  activeSessions,
  login,
  logout,
  logoutEverywhere,
  regenerate,
  revokeSession,
  type SessionEnv,
  type SessionMiddlewareOptions,
  sessionMiddleware,
} from '../src/index.js';

export interface TestData {
  count: number;
  seen?: Date;
}

export interface TestApp {
  app: Hono<SessionEnv<TestData>>;
  /** Resolve to let a request parked at /slow-increment finish. */
  release(): void;
  /** Resolves when a request has parked at /slow-increment. */
  parked: Promise<void>;
}

export const COOKIE = '__Host-sid';

export function buildApp(
  store: SessionStore,
  extra: Partial<SessionMiddlewareOptions<TestData>> = {},
  /** Called with each request's context once the response is settled (an app's logger). */
  observe?: (c: Context<SessionEnv<TestData>>) => void,
): TestApp {
  const app = new Hono<SessionEnv<TestData>>();
  if (observe !== undefined) {
    app.use(async (c, next) => {
      await next();
      observe(c);
    });
  }
  let release!: () => void;
  let onParked!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const parked = new Promise<void>((r) => {
    onParked = r;
  });
  app.use(
    sessionMiddleware<TestData>({ store, initialData: () => ({ count: 0 }), ...extra } as never),
  );

  // Quiet: some tests make handlers fail on purpose (the middleware still sees c.error).
  app.onError((_err, c) => c.text('Internal Server Error', 500));

  app.post('/login/:user', async (c) => {
    await login(c, c.req.param('user'));
    return c.json({ ok: true });
  });
  app.get('/me', async (c) => {
    const session = await c.var.session.load();
    return c.json({ userId: session?.userId ?? null, count: session?.data.count ?? 0 });
  });
  // Reads through get(): starts a session for an anonymous visitor, but never changes it.
  app.get('/peek', async (c) => c.json({ count: (await c.var.session.get()).data.count }));
  app.post('/count', async (c) => {
    const session = await c.var.session.get();
    session.data.count += 1;
    return c.json({ count: session.data.count });
  });
  app.post('/slow-increment', async (c) => {
    const session = await c.var.session.get();
    onParked();
    await gate;
    session.data.count += 1;
    return c.json({ count: session.data.count });
  });
  // Parks before it reads the session: it loads whatever the store holds once released.
  app.get('/slow-me', async (c) => {
    onParked();
    await gate;
    const session = await c.var.session.load();
    return c.json({ userId: session?.userId ?? null });
  });
  // Parks before it reads, then writes: it starts a session if the store holds none by then.
  app.post('/slow-count', async (c) => {
    onParked();
    await gate;
    const session = await c.var.session.get();
    session.data.count += 1;
    return c.json({ count: session.data.count });
  });
  app.get('/slow-peek', async (c) => {
    onParked();
    await gate;
    return c.json({ count: (await c.var.session.get()).data.count });
  });
  // A privilege change with an unsaved change riding along.
  app.post('/elevate', async (c) => {
    (await c.var.session.get()).data.count += 1;
    const session = await regenerate(c);
    return c.json({ rotated: session !== undefined });
  });
  // For a visitor with no session: nothing to rotate.
  app.post('/elevate-anonymous', async (c) =>
    c.json({ rotated: (await regenerate(c)) !== undefined }),
  );
  // The same through the manager on the context, as an app might write it.
  app.post('/elevate-manager', async (c) => {
    const current = await c.var.session.get();
    const session = await c.var.session.manager.regenerate(current);
    return c.json({ rotated: session !== undefined });
  });
  app.post('/count-then-fail', async (c) => {
    (await c.var.session.get()).data.count += 1;
    throw new Error('the handler failed after changing the session');
  });
  app.post('/seen', async (c) => {
    (await c.var.session.get()).data.seen = new Date(1_700_000_000_123);
    return c.json({ ok: true });
  });
  app.get('/seen', async (c) => {
    const seen = (await c.var.session.get()).data.seen;
    return c.json({ isDate: seen instanceof Date, time: seen?.getTime() ?? null });
  });
  app.post('/logout', async (c) => c.json({ removed: await logout(c) }));
  app.post('/logout-everywhere', async (c) =>
    c.json({ ended: await logoutEverywhere(c, { keepCurrent: c.req.query('keep') === '1' }) }),
  );
  app.get('/sessions', async (c) => c.json(await activeSessions(c)));
  app.post('/revoke/:handle', async (c) =>
    c.json({ revoked: await revokeSession(c, c.req.param('handle')) }),
  );
  return { app, release, parked };
}

/** A browser of one cookie: sends it back, and follows Set-Cookie (including clearing). */
export class Browser {
  token: string | undefined;
  constructor(
    private readonly app: Hono<SessionEnv<TestData>>,
    private readonly userAgent = 'test-browser/1.0',
  ) {}

  async request(path: string, method = 'GET'): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.token !== undefined) headers.cookie = `${COOKIE}=${this.token}`;
    const res = await this.app.request(path, { method, headers });
    for (const cookie of res.headers.getSetCookie()) {
      if (!cookie.startsWith(`${COOKIE}=`)) continue;
      const value = cookie.slice(COOKIE.length + 1).split(';')[0] ?? '';
      this.token = /Max-Age=0/i.test(cookie) || value === '' ? undefined : value;
    }
    return res;
  }

  async json<T = Record<string, unknown>>(path: string, method = 'GET'): Promise<T> {
    return (await this.request(path, method)).json() as Promise<T>;
  }

  /** The store key of the session this browser holds. */
  key(): string {
    if (this.token === undefined) throw new Error('this browser holds no session cookie');
    return hashSessionToken(this.token);
  }
}

/** A store that forwards every call to `store`, with some methods replaced. */
function delegate(store: SessionStore, overrides: Partial<SessionStore>): SessionStore {
  return {
    maxPayloadBytes: store.maxPayloadBytes,
    get: (key) => store.get(key),
    set: (key, record, options) => store.set(key, record, options),
    touch: (key, expiresAt) => store.touch(key, expiresAt),
    delete: (key) => store.delete(key),
    listByUser: (userId) => store.listByUser(userId),
    deleteByUser: (userId, options) => store.deleteByUser(userId, options),
    clear: () => store.clear(),
    close: () => store.close(),
    ...overrides,
  };
}

/** The store, counting the writes (set, touch, delete) that reach it. */
export function countingWrites(store: SessionStore): { store: SessionStore; writes(): number } {
  let writes = 0;
  return {
    store: delegate(store, {
      set: (key, record, options) => {
        writes += 1;
        return store.set(key, record, options);
      },
      touch: (key, expiresAt) => {
        writes += 1;
        return store.touch(key, expiresAt);
      },
      delete: (key) => {
        writes += 1;
        return store.delete(key);
      },
    }),
    writes: () => writes,
  };
}

/** The store with every call held back by a random 0 to `maxMs` ms, so racing requests interleave. */
export function delayed(store: SessionStore, maxMs = 2): SessionStore {
  const delay = () => sleep(Math.random() * maxMs);
  return delegate(store, {
    get: async (key) => {
      await delay();
      return store.get(key);
    },
    set: async (key, record, options) => {
      await delay();
      return store.set(key, record, options);
    },
    delete: async (key) => {
      await delay();
      return store.delete(key);
    },
    listByUser: async (userId) => {
      await delay();
      return store.listByUser(userId);
    },
    deleteByUser: async (userId, options) => {
      await delay();
      return store.deleteByUser(userId, options);
    },
  });
}

/** The store, counting every call that reaches it, by method name. */
export function countingCalls(store: SessionStore): {
  store: SessionStore;
  calls(): Record<string, number>;
  reset(): void;
} {
  const counts = new Map<string, number>();
  const counted = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.set(String(prop), (counts.get(String(prop)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store: counted, calls: () => Object.fromEntries(counts), reset: () => counts.clear() };
}

/** The store, except that every `get` fails as if the server were down. */
export function failingReads(store: SessionStore): SessionStore {
  return delegate(store, {
    get: async () => {
      throw new UnavailableError('@sessions/hono', 'the server is down (test)', {
        cause: new Error('ECONNREFUSED'),
      });
    },
  });
}

/** The store, except that every `set` fails as if the server were down. */
export function failingWrites(store: SessionStore): SessionStore {
  return delegate(store, {
    set: async () => {
      throw new UnavailableError('@sessions/hono', 'the server is down (test)', {
        cause: new Error('ECONNREFUSED'),
      });
    },
  });
}

/** The counter as stored under `key` (inside the manager's envelope), or undefined. */
export async function storedCount(store: SessionStore, key: string): Promise<number | undefined> {
  const record = await store.get(key);
  return (record?.data as { data?: TestData } | undefined)?.data?.count;
}

// Malformed or tampered stored data, over real HTTP (issue 17, item 4): each such record is an
// error for the request that reads it, never a hung request, a crashed server or process.
import type { SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { closedAfterEach, listening, sessionCookie, sidOf } from './app.js';

type MakeStore = () => Promise<SessionStore>;

// Values that make @fastify/session's Cookie class, or the cookie serializer, throw.
const unconvertible = { valueOf: 1, toString: 1 };
// A cookie @fastify/session sees as already expired, so it regenerates the session inside the
// store's `get` callback: a throw there is an uncaught exception, unless the adapter refuses it.
const expiredCookie = { expires: null, originalMaxAge: 0, maxAge: -5_000, path: '/' };

/** Stored data, by what is wrong with it. */
const TAMPERED: Record<string, (cookie: unknown) => unknown> = {
  'cookie.originalMaxAge not a number': () => ({
    userId: 'ada',
    cookie: { originalMaxAge: unconvertible },
  }),
  'cookie.expires not a date': () => ({ userId: 'ada', cookie: { expires: unconvertible } }),
  'cookie.sameSite not a SameSite value': () => ({
    userId: 'ada',
    cookie: { originalMaxAge: 60_000, sameSite: 'bogus' },
  }),
  'cookie.path with a semicolon': () => ({
    userId: 'ada',
    cookie: { path: '/; Domain=evil.test' },
  }),
  'cookie not an object': () => ({ userId: 'ada', cookie: 'not a cookie' }),
  'data a string': () => 'not a session',
  'data an array': () => [1, 2, 3],
  'data null': () => null,
  'a field named like a Session method': (cookie) => ({ userId: 'ada', isModified: 1, cookie }),
  'save shadowed': (cookie) => ({ userId: 'ada', save: 'no', cookie }),
  'regenerate shadowed, with an expired cookie': () => ({
    userId: 'ada',
    regenerate: 1,
    cookie: expiredCookie,
  }),
};

export function tamperedScenarios(makeStore: MakeStore): void {
  const { open, app } = closedAfterEach(makeStore);

  test('[17.4] tampered records answer 500 over HTTP; the server and the process live on', async () => {
    const store = await open();
    const { app: server, adapter } = await app(store);
    const base = await listening(server);
    const send = (path: string, cookie?: string, method = 'POST') =>
      fetch(`${base}${path}`, {
        method,
        headers: cookie ? { cookie } : {},
        // A request the server never answers fails the test instead of hanging it.
        signal: AbortSignal.timeout(15_000),
      });
    const login = await send('/login/ada');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const key = adapter.keyOf(sidOf(cookie));
    const record = await store.get(key);
    if (!record) throw new Error('login stored nothing');
    const crashes: unknown[] = [];
    process.setUncaughtExceptionCaptureCallback((err) => crashes.push(err));
    const answers: Record<string, unknown> = {};
    try {
      for (const [name, tamper] of Object.entries(TAMPERED)) {
        await store.set(key, { ...record, data: tamper(record.data.cookie) } as never);
        const res = await send('/count', cookie).catch((err: Error) => err.name);
        answers[name] =
          typeof res === 'string'
            ? res
            : { status: res.status, code: ((await res.json()) as { code?: string }).code };
      }
    } finally {
      process.setUncaughtExceptionCaptureCallback(null);
    }
    const corrupt = { status: 500, code: 'CORRUPT' };
    expect(answers).toEqual(Object.fromEntries(Object.keys(TAMPERED).map((n) => [n, corrupt])));
    expect(crashes).toEqual([]);
    // The server still serves everyone, over the same HTTP listener.
    const bob = await send('/login/bob');
    const me = await send('/me', sessionCookie({ cookies: parseSetCookie(bob) }), 'GET');
    expect(((await me.json()) as { userId?: string }).userId).toBe('bob');
  });
}

/** The cookies a fetch response set, in the shape `sessionCookie` reads. */
function parseSetCookie(res: Response): Array<{ name: string; value: string }> {
  return res.headers.getSetCookie().map((line) => {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

// Why a request has no session (issue 20), and "log out everywhere" against a racing
// regenerate (issue 17, finding 12), over real HTTP on every store (see stores.test.ts).
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { isSessionError, type MissEvent, type MissReason, type SessionStore } from '@sessions/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import {
  FastifySessionStore,
  type FastifyStoreOptions,
  missReason,
  sessionMissReasons,
} from '../src/index.js';
import { listening, sidOf } from './app.js';
import { flaky } from './protocol.js';

declare module 'fastify' {
  interface Session {
    elevated?: boolean;
    note?: string;
  }
}

interface MissApp {
  base: string;
  adapter: FastifySessionStore;
  /** `missReason(request)` of every request, in order. */
  reasons: Array<MissReason | undefined>;
  /** Every `miss` event. */
  events: MissEvent[];
  /** Store calls, by method, while `counting` is on. */
  calls: string[];
}

/** A store whose every call first waits up to `maxMs` (races get room to interleave) and is counted. */
function instrumented(store: SessionStore, calls: string[], maxMs: number): SessionStore {
  return new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.push(String(name));
        if (maxMs > 0) await new Promise((r) => setTimeout(r, Math.random() * maxMs));
        return value.apply(target, args);
      };
    },
  });
}

const opened: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function missApp(
  store: SessionStore,
  options: Partial<FastifyStoreOptions> & { latency?: number; saveUninitialized?: boolean } = {},
): Promise<MissApp> {
  const reasons: Array<MissReason | undefined> = [];
  const events: MissEvent[] = [];
  const calls: string[] = [];
  const { latency = 0, saveUninitialized = false, ...adapterOptions } = options;
  const adapter = new FastifySessionStore({
    store: instrumented(store, calls, latency),
    ...adapterOptions,
    on: { miss: (event) => void events.push(event) },
  });
  const app: FastifyInstance = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: 'a test secret that is at least thirty-two characters long',
    store: adapter,
    cookie: { maxAge: 60 * 60_000, secure: false, httpOnly: true, sameSite: 'lax' },
    saveUninitialized,
    rolling: false,
  });
  await app.register(sessionMissReasons);
  app.addHook('preHandler', async (request) => {
    reasons.push(missReason(request));
  });
  app.post<{ Params: { user: string } }>('/login/:user', async (request) => {
    await request.session.regenerate();
    request.session.userId = request.params.user;
    return { ok: true };
  });
  // A privilege change: a new ID, the same owner.
  app.post('/elevate', async (request) => {
    await request.session.regenerate(['userId']);
    request.session.elevated = true;
    return { ok: true };
  });
  app.get('/me', async (request) => ({ userId: request.session.userId ?? null }));
  app.post('/note', async (request) => {
    request.session.note = 'written';
    return { ok: true };
  });
  app.post('/logout-everywhere', async (request, reply) => {
    const { userId } = request.session;
    if (userId === undefined) return reply.status(401).send({ error: 'not logged in' });
    const ended = await adapter.destroyAllForUser(userId);
    await request.session.destroy(); // this device too: its session is gone already
    return { ended };
  });
  app.setErrorHandler((err, _request, reply) => {
    const status = isSessionError(err, 'CONFLICT')
      ? 409
      : isSessionError(err, 'UNAVAILABLE')
        ? 503
        : 500;
    reply.status(status).send({ error: (err as Error & { code?: string }).code ?? 'ERROR' });
  });
  opened.push(app);
  return { base: await listening(app), adapter, reasons, events, calls };
}

/** A request over real HTTP: status, body, and the session cookie it set, if any. */
async function send(base: string, path: string, method = 'GET', cookie?: string) {
  const res = await fetch(base + path, {
    method,
    headers: cookie === undefined ? {} : { cookie },
    redirect: 'manual',
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('sessionId='));
  return {
    status: res.status,
    body: (await res.json()) as unknown,
    cookie: set?.split(';')[0],
  };
}

/** A browser of one cookie. */
class Browser {
  cookie: string | undefined;
  constructor(readonly base: string) {}
  async send(path: string, method = 'GET') {
    const res = await send(this.base, path, method, this.cookie);
    if (res.cookie !== undefined) this.cookie = res.cookie;
    return res;
  }
}

const user = () => `u-${randomUUID()}`;

export function missReasonScenarios(makeStore: () => Promise<SessionStore>): void {
  const open = async () => {
    const store = await makeStore();
    opened.push(store);
    return store;
  };

  test('every miss reason reaches request.sessionMiss and the miss event, and the client sees the same response', async () => {
    const store = await open();
    const { base, adapter, reasons, events } = await missApp(store);
    const responses: unknown[] = [];
    const expectMiss = async (cookie: string | undefined, reason: MissReason) => {
      const res = await send(base, '/me', 'GET', cookie);
      expect(reasons.at(-1), reason).toBe(reason);
      expect(events.at(-1)?.reason, `${reason} event`).toBe(reason);
      responses.push(res);
    };
    const login = async (name: string) => {
      const res = await send(base, `/login/${name}`, 'POST');
      expect(res.status).toBe(200);
      return res.cookie as string;
    };

    await expectMiss(undefined, 'no-cookie');
    await expectMiss('sessionId=forged-id.forged-signature', 'malformed');

    const gone = await login(user());
    await store.delete(adapter.keyOf(sidOf(gone)));
    await expectMiss(gone, 'not-found');

    const rotatedFrom = await login(user());
    expect((await send(base, '/elevate', 'POST', rotatedFrom)).status).toBe(200);
    await expectMiss(rotatedFrom, 'rotated');

    const ada = user();
    const phone = await login(ada);
    const laptop = await login(ada);
    expect(await send(base, '/logout-everywhere', 'POST', laptop)).toMatchObject({
      status: 200,
      body: { ended: 2 },
    });
    await expectMiss(phone, 'revoked');
    await expectMiss(laptop, 'revoked');

    // A hit says nothing.
    const live = await login(user());
    expect((await send(base, '/me', 'GET', live)).body).toMatchObject({
      userId: expect.any(String),
    });
    expect(reasons.at(-1)).toBeUndefined();

    // The HTTP response is the same whatever the reason: no oracle for guessing IDs. (Any
    // cookie that finds no session is cleared, by @fastify/session, whatever the reason.) The
    // exception: a rotated token's is not, or it would wipe the login's (see the next test).
    const [withoutCookie, malformed, notFound, rotated, ...revoked] = responses;
    const anonymous = { status: 200, body: { userId: null } };
    expect(withoutCookie).toEqual({ ...anonymous, cookie: undefined });
    expect(rotated).toEqual({ ...anonymous, cookie: undefined });
    expect(revoked).toHaveLength(2);
    for (const response of [malformed, notFound, ...revoked]) {
      expect(response).toEqual({ ...anonymous, cookie: 'sessionId=' });
    }
  });

  for (const saveUninitialized of [false, true]) {
    test(`saveUninitialized: ${saveUninitialized}: a request still holding the cookie a login rotated away never replaces the new one`, async () => {
      const store = await open();
      const { base, reasons } = await missApp(store, { saveUninitialized });
      const browser = new Browser(base);
      await browser.send(`/login/${user()}`, 'POST');
      // Requests the browser sent before the login's answer came back carry the old cookie.
      const inFlight = new Browser(base);
      inFlight.cookie = browser.cookie;
      const ada = user();
      expect((await browser.send(`/login/${ada}`, 'POST')).status).toBe(200);
      const before = (await store.list?.())?.length;

      // Without the guard: a new cookie (saveUninitialized) or a clearing one, after the login's.
      const read = await send(base, '/me', 'GET', inFlight.cookie);
      expect(reasons.at(-1)).toBe('rotated');
      expect(read).toEqual({ status: 200, body: { userId: null }, cookie: undefined });
      const change = await send(base, '/note', 'POST', inFlight.cookie);
      expect(change).toMatchObject({ status: 409, cookie: undefined });
      expect((await store.list?.())?.length).toBe(before); // nothing stored for either

      expect((await browser.send('/me')).body).toEqual({ userId: ada });
      // A login of its own still works: its session is a new one, stored and sent.
      const relogin = await inFlight.send(`/login/${ada}`, 'POST');
      expect(relogin.status).toBe(200);
      expect(relogin.cookie).toMatch(/^sessionId=./);
      expect((await inFlight.send('/me')).body).toEqual({ userId: ada });
    });
  }

  test('expired-idle: a record the store still serves past its expiry by the adapter clock', async () => {
    // The app's clock runs two hours ahead of the store's: the store serves what is over.
    const { base, reasons } = await missApp(await open(), {
      clock: () => Date.now() + 2 * 60 * 60_000,
    });
    const cookie = (await send(base, `/login/${user()}`, 'POST')).cookie;
    expect((await send(base, '/me', 'GET', cookie)).body).toEqual({ userId: null });
    expect(reasons.at(-1)).toBe('expired-idle');
  });

  test('store-unavailable is emitted, and the request fails instead of becoming anonymous', async () => {
    const outage = flaky(await open());
    const { base, reasons, events } = await missApp(outage.store);
    const cookie = (await send(base, `/login/${user()}`, 'POST')).cookie;
    outage.fail('get');
    const res = await send(base, '/me', 'GET', cookie);
    expect(res.status).toBe(503);
    expect(res.cookie).toBeUndefined();
    expect(events.at(-1)?.reason).toBe('store-unavailable');
    expect(reasons).toHaveLength(1); // only the login got past the session hooks
  });

  test('a hit costs exactly one store get, and nothing else', async () => {
    const { base, calls } = await missApp(await open());
    const cookie = (await send(base, `/login/${user()}`, 'POST')).cookie;
    calls.length = 0;
    expect((await send(base, '/me', 'GET', cookie)).status).toBe(200);
    expect(calls).toEqual(['get']);
  });

  test('"log out everywhere" racing a regenerate of the same user leaves no session alive', async () => {
    const store = await open();
    const { base } = await missApp(store, { latency: 3 });
    for (let round = 0; round < 24; round++) {
      const ada = user();
      const [phone, laptop] = [new Browser(base), new Browser(base)];
      await phone.send(`/login/${ada}`, 'POST');
      await laptop.send(`/login/${ada}`, 'POST');
      // The privilege change starts 0 to 11 ms after the logout: every interleaving gets a turn.
      const [elevated, loggedOut] = await Promise.all([
        new Promise((r) => setTimeout(r, round % 12)).then(() => phone.send('/elevate', 'POST')),
        laptop.send('/logout-everywhere', 'POST'),
      ]);
      expect(loggedOut.status).toBe(200);
      expect([200, 409]).toContain(elevated.status);
      const me = await phone.send('/me');
      expect(me.body, `round ${round}: the phone is still logged in`).toEqual({ userId: null });
      expect(await store.listByUser(ada), `round ${round}`).toEqual([]);
    }
  });

  test('"log out everywhere else" keeps the current session, through its regenerates', async () => {
    const { base, adapter } = await missApp(await open());
    const ada = user();
    const [phone, laptop] = [new Browser(base), new Browser(base)];
    await phone.send(`/login/${ada}`, 'POST');
    await laptop.send(`/login/${ada}`, 'POST');
    const kept = sidOf(laptop.cookie as string);
    expect(await adapter.destroyAllForUser(ada, { except: kept })).toBe(1);
    expect((await phone.send('/me')).body).toEqual({ userId: null });
    expect((await laptop.send('/elevate', 'POST')).status).toBe(200);
    expect((await laptop.send('/elevate', 'POST')).status).toBe(200);
    expect((await laptop.send('/me')).body).toEqual({ userId: ada });
  });
}

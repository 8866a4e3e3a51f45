// Why a request has no session (issue 20), and "log out everywhere" against a racing
// regenerate (issue 17, finding 12), over real HTTP on every store.
import { randomUUID } from 'node:crypto';
import type { MissEvent, MissReason, SessionStore } from '@sessions/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import request from 'supertest';
import { expect, test } from 'vitest';
import {
  ExpressSessionStore,
  type ExpressStoreOptions,
  errorStatus,
  missReason,
} from '../src/index.js';
import { closedAfterEach, sidFromCookie } from './app.js';
import { probe } from './store-probe.js';

declare module 'express-session' {
  interface SessionData {
    elevated: boolean;
  }
}

interface MissApp {
  app: express.Express;
  adapter: ExpressSessionStore;
  /** `missReason(req)` of every request, in order. */
  reasons: Array<MissReason | undefined>;
  /** Every `miss` event. */
  events: MissEvent[];
}

function missApp(store: SessionStore, options: Partial<ExpressStoreOptions> = {}): MissApp {
  const reasons: Array<MissReason | undefined> = [];
  const events: MissEvent[] = [];
  const adapter = new ExpressSessionStore({
    store,
    ...options,
    on: { miss: (event) => void events.push(event) },
  });
  const app = express();
  app.use(
    session({
      store: adapter,
      secret: 'test secret, not for production',
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: 60 * 60_000, httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.use((req, _res, next) => {
    reasons.push(missReason(req));
    next();
  });
  app.post('/login/:user', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.userId = String(req.params.user);
      req.session.save((saveErr) => (saveErr ? next(saveErr) : res.json({ ok: true })));
    });
  });
  // A privilege change: a new ID, the same owner.
  app.post('/elevate', (req, res, next) => {
    const { userId } = req.session;
    req.session.regenerate((err) => {
      if (err) return next(err);
      if (userId !== undefined) req.session.userId = userId;
      req.session.elevated = true;
      req.session.save((saveErr) => (saveErr ? next(saveErr) : res.json({ ok: true })));
    });
  });
  app.get('/me', (req, res) => {
    res.json({ userId: req.session.userId ?? null });
  });
  app.post('/logout-everywhere', (req, res, next) => {
    const { userId } = req.session;
    if (userId === undefined) return res.status(401).json({ error: 'not logged in' });
    adapter.destroyAllForUser(userId).then((ended) => res.json({ ended }), next);
  });
  app.use((err: { code?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    res.status(errorStatus(err)).json({ error: err.code ?? 'ERROR' });
  });
  return { app, adapter, reasons, events };
}

/** The cookie a response set, as a `Cookie` request header. */
function cookieOf(res: request.Response): string {
  return ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** What a client sees of a response: everything but the date. */
function seen(res: request.Response) {
  return { status: res.status, body: res.body, setCookie: res.headers['set-cookie'] ?? null };
}

/** A store whose every call first waits up to `maxMs`: races get room to interleave. */
function delayed(store: SessionStore, maxMs = 2): SessionStore {
  return new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, Math.random() * maxMs));
        return value.apply(target, args);
      };
    },
  });
}

const user = () => `u-${randomUUID()}`;

export function missReasonScenarios(makeStore: () => Promise<SessionStore>): void {
  const open = closedAfterEach(makeStore);

  test('every miss reason reaches req and the miss event, and the client sees the same response', async () => {
    const store = await open();
    const { app, adapter, reasons, events } = missApp(store);
    const responses: Array<ReturnType<typeof seen>> = [];
    const expectMiss = async (cookie: string | undefined, reason: MissReason) => {
      const req = request(app).get('/me');
      const res = await (cookie === undefined ? req : req.set('Cookie', cookie));
      expect(reasons.at(-1), `${reason}`).toBe(reason);
      expect(events.at(-1)?.reason, `${reason} event`).toBe(reason);
      responses.push(seen(res));
    };

    await expectMiss(undefined, 'no-cookie');
    await expectMiss('connect.sid=s%3Aforged-id.forged-signature', 'malformed');
    await expectMiss('connect.sid=unsigned-id', 'malformed');

    const gone = cookieOf(await request(app).post(`/login/${user()}`).expect(200));
    await store.delete(adapter.keyOf(sidFromCookie(gone.split('; '))));
    await expectMiss(gone, 'not-found');

    const rotatedFrom = cookieOf(await request(app).post(`/login/${user()}`).expect(200));
    await request(app).post('/elevate').set('Cookie', rotatedFrom).expect(200);
    await expectMiss(rotatedFrom, 'rotated');

    const ada = user();
    const phone = cookieOf(await request(app).post(`/login/${ada}`).expect(200));
    const laptop = cookieOf(await request(app).post(`/login/${ada}`).expect(200));
    await request(app).post('/logout-everywhere').set('Cookie', laptop).expect(200, { ended: 2 });
    await expectMiss(phone, 'revoked');
    await expectMiss(laptop, 'revoked');

    // A hit says nothing.
    const live = cookieOf(await request(app).post(`/login/${user()}`).expect(200));
    await request(app).get('/me').set('Cookie', live).expect(200);
    expect(reasons.at(-1)).toBeUndefined();

    // The HTTP response is the same whatever the reason: no oracle for guessing IDs.
    for (const response of responses) expect(response).toEqual(responses[0]);
    expect(responses[0]).toEqual({ status: 200, body: { userId: null }, setCookie: null });
    expect(responses).toHaveLength(7);
  });

  test('expired-idle: a record the store still serves past its expiry by the adapter clock', async () => {
    const store = await open();
    // The app's clock runs two hours ahead of the store's: the store serves what is over.
    const { app, reasons } = missApp(store, { clock: () => Date.now() + 2 * 60 * 60_000 });
    const cookie = cookieOf(await request(app).post(`/login/${user()}`).expect(200));
    const res = await request(app).get('/me').set('Cookie', cookie).expect(200);
    expect(res.body).toEqual({ userId: null });
    expect(reasons.at(-1)).toBe('expired-idle');
  });

  test('store-unavailable is emitted, and the request fails instead of becoming anonymous', async () => {
    const probed = probe(await open());
    const { app, reasons, events } = missApp(probed.store);
    const cookie = cookieOf(await request(app).post(`/login/${user()}`).expect(200));
    probed.failReads = true;
    const res = await request(app).get('/me').set('Cookie', cookie);
    expect(res.status).toBe(503);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(events.at(-1)?.reason).toBe('store-unavailable');
    expect(reasons).toHaveLength(1); // only the login got past the session middleware
  });

  test('a hit costs exactly one store get, and nothing else new', async () => {
    const probed = probe(await open());
    const calls: string[] = [];
    probed.beforeCall = (method) => calls.push(method);
    const { app } = missApp(probed.store);
    const cookie = cookieOf(await request(app).post(`/login/${user()}`).expect(200));
    calls.length = 0;
    await request(app).get('/me').set('Cookie', cookie).expect(200);
    // express-session touches an unchanged session (resave: false): its own call, as before.
    expect(calls).toEqual(['get', 'touch']);
  });

  test('missReasons: false reads no tombstone: a miss of a known ID costs one get', async () => {
    const probed = probe(await open());
    const calls: string[] = [];
    probed.beforeCall = (method) => calls.push(method);
    const { app, reasons } = missApp(probed.store, { missReasons: false });
    const cookie = cookieOf(await request(app).post(`/login/${user()}`).expect(200));
    await request(app).post('/elevate').set('Cookie', cookie).expect(200);
    calls.length = 0;
    await request(app).get('/me').set('Cookie', cookie).expect(200);
    expect(calls).toEqual(['get']);
    expect(reasons.at(-1)).toBe('not-found');
  });

  test('"log out everywhere" racing a regenerate of the same user leaves no session alive', async () => {
    const store = await open();
    const { app } = missApp(delayed(store, 3));
    for (let round = 0; round < 24; round++) {
      const ada = user();
      const phone = request.agent(app);
      const laptop = request.agent(app);
      await phone.post(`/login/${ada}`).expect(200);
      await laptop.post(`/login/${ada}`).expect(200);
      // The privilege change starts 0 to 11 ms after the logout: every interleaving gets a turn.
      const [elevated, loggedOut] = await Promise.all([
        new Promise((r) => setTimeout(r, round % 12)).then(() => phone.post('/elevate')),
        laptop.post('/logout-everywhere'),
      ]);
      expect(loggedOut.status).toBe(200);
      expect([200, 409]).toContain(elevated.status);
      const me = await phone.get('/me').expect(200);
      expect(me.body, `round ${round}: the phone is still logged in`).toEqual({ userId: null });
      expect(await store.listByUser(ada), `round ${round}`).toEqual([]);
    }
  });

  test('"log out everywhere else" keeps the current session, through its regenerates', async () => {
    const store = await open();
    const { app, adapter } = missApp(store);
    const ada = user();
    const phone = request.agent(app);
    const laptop = request.agent(app);
    await phone.post(`/login/${ada}`).expect(200);
    const login = await laptop.post(`/login/${ada}`).expect(200);
    const kept = sidFromCookie(login.headers['set-cookie']);
    expect(await adapter.destroyAllForUser(ada, { except: kept })).toBe(1);
    expect((await phone.get('/me').expect(200)).body).toEqual({ userId: null });
    await laptop.post('/elevate').expect(200);
    await laptop.post('/elevate').expect(200);
    expect((await laptop.get('/me').expect(200)).body).toEqual({ userId: ada });
  });
}

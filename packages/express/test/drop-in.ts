// express-session's Store API as apps and libraries call it directly (issue 17, items 1-5),
// run against every store (see stores.test.ts).
import { isSessionError, type SessionStore } from '@sessions/core';
import type { SessionData } from 'express-session';
import request from 'supertest';
import { expect, test } from 'vitest';
import { ExpressSessionStore } from '../src/index.js';
import { buildApp, closedAfterEach, sidFromCookie } from './app.js';
import { whereThrowsLand } from './compat/support.js';

type MakeStore = () => Promise<SessionStore>;

const MINUTE = 60_000;

/** What express-session hands a store: a cookie that serialises through toJSON. */
function sessionData(fields: Record<string, unknown>, expires = Date.now() + 30 * MINUTE) {
  return {
    cookie: { originalMaxAge: 30 * MINUTE, expires: new Date(expires), httpOnly: true, path: '/' },
    ...fields,
  } as unknown as SessionData;
}

/** `get` as a promise of the fields a test reads. */
function read<T = { count: number }>(adapter: ExpressSessionStore, sid: string): Promise<T> {
  return adapter.get(sid) as Promise<unknown> as Promise<T>;
}

/** Every call of a Node-style callback: once the first has come, and a little more time. */
async function callbackCalls(run: (callback: (...args: unknown[]) => void) => void) {
  const calls: unknown[][] = [];
  run((...args) => calls.push(args));
  // A store on a loaded machine can take a while to answer at all.
  for (let waited = 0; waited < 5000 && calls.length === 0; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return calls;
}

export function dropInScenarios(makeStore: MakeStore): void {
  const open = closedAfterEach(makeStore);

  test('[17.1] get, edit the returned object, set: the edit is saved', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    await adapter.set('sid-1', sessionData({ count: 1 }));
    const loaded = await read<SessionData & { count: number }>(adapter, 'sid-1');
    loaded.count = 2;
    await adapter.set('sid-1', loaded);
    expect((await read(adapter, 'sid-1')).count).toBe(2);
  });

  test('[17.1] load (a Session built from get), edit, save: the edit is saved', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    await adapter.set('sid-1', sessionData({ count: 1 }));
    const loaded = await new Promise<{ count: number; save(cb: (e?: unknown) => void): void }>(
      (resolve, reject) =>
        adapter.load('sid-1', (err, sess) => (err ? reject(err) : resolve(sess as never))),
    );
    loaded.count = 3;
    await new Promise<void>((resolve, reject) =>
      loaded.save((err) => (err ? reject(err) : resolve())),
    );
    expect((await read(adapter, 'sid-1')).count).toBe(3);
  });

  test('[17.2] set of an object never loaded is an upsert over an existing session', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    await adapter.set('sid-1', sessionData({ count: 1 }));
    await adapter.set('sid-1', sessionData({ count: 2 }));
    expect((await read(adapter, 'sid-1')).count).toBe(2);
  });

  test('[17.2] a loaded object never brings back a session destroyed meanwhile', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    await adapter.set('sid-1', sessionData({ count: 1 }));
    const loaded = await read<SessionData>(adapter, 'sid-1');
    await adapter.destroy('sid-1');
    const failure = await adapter.set('sid-1', loaded)?.catch((err: unknown) => err);
    expect(isSessionError(failure, 'CONFLICT')).toBe(true);
    expect(await adapter.get('sid-1')).toBeNull();
  });

  test('[17.2] an object loaded under one ID is a new session under another', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    await adapter.set('sid-1', sessionData({ count: 1 }));
    await adapter.set('sid-2', sessionData({ count: 5 }));
    const loaded = await read<SessionData>(adapter, 'sid-1');
    await adapter.set('sid-2', loaded); // not compared with sid-1's version
    expect((await read(adapter, 'sid-2')).count).toBe(1);
  });

  test('[17.3] touch moves cookie.expires as the next get reads it', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    const first = Date.now() + 10 * MINUTE;
    const later = Date.now() + 40 * MINUTE;
    await adapter.set('sid-1', sessionData({ count: 1 }, first));
    await adapter.touch('sid-1', sessionData({ count: 1 }, later));
    const stored = await read<{ cookie: { expires: string } }>(adapter, 'sid-1');
    expect(new Date(stored.cookie.expires).getTime()).toBe(later);
  });

  test('[17.3] over HTTP: the maxAge after a touching request is the touched one', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const agent = request.agent(app);
    await agent.post('/login/ada').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await agent.get('/me').expect(200); // unchanged: express-session touches it at the end
    const [record] = (await store.list?.()) ?? [];
    const me = await agent.get('/me').expect(200);
    expect(me.body.expires).toBe(record?.record.expiresAt);
  });

  test('[17.4] a throwing callback is an uncaught exception, called once', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    await adapter.set('sid-1', sessionData({ count: 1 }));
    let calls = 0;
    const boom = new Error('thrown by the caller');
    const landed = await whereThrowsLand(() => {
      adapter.get('sid-1', () => {
        calls++;
        throw boom;
      });
    });
    expect(calls).toBe(1);
    expect(landed).toEqual({ uncaught: [boom], rejected: [] });
  });

  test('[17.4] every method calls its callback exactly once, success or failure', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    const sess = sessionData({ count: 1 });
    expect(await callbackCalls((cb) => adapter.set('sid-1', sess, cb))).toHaveLength(1);
    expect(await callbackCalls((cb) => adapter.get('sid-1', cb))).toHaveLength(1);
    expect(await callbackCalls((cb) => adapter.touch('sid-1', sess, cb))).toHaveLength(1);
    expect(await callbackCalls((cb) => adapter.length(cb))).toEqual([[null, 1]]);
    expect(await callbackCalls((cb) => adapter.destroy('sid-1', cb))).toHaveLength(1);
    const unhashed = new ExpressSessionStore({ store: await open(), hashIds: false });
    const [[failure]] = (await callbackCalls((cb) => unhashed.set('', sess, cb))) as [[unknown]];
    expect(isSessionError(failure, 'INVALID_KEY')).toBe(true);
  });

  test('[17.4] a tampered record is an error response; the server lives on', async () => {
    const store = await open();
    const { app, adapter } = buildApp(store);
    const agent = request.agent(app);
    const login = await agent.post('/login/ada').expect(200);
    const key = adapter.keyOf(sidFromCookie(login.headers['set-cookie']));
    const expiresAt = Date.now() + MINUTE;
    // A cookie express-session's serializer throws on, then one its Cookie cannot rebuild.
    for (const cookie of [{ sameSite: 'sometimes', path: '/' }, ['not', 'a', 'cookie']]) {
      await store.set(key, { data: { userId: 'ada', cookie }, expiresAt });
      await agent.post('/count').expect(500);
    }
    await request(app).post('/login/bob').expect(200);
  });

  test('[17.5] all() returns each session with its ID when IDs are not hashed', async () => {
    const adapter = new ExpressSessionStore({ store: await open(), hashIds: false });
    await adapter.set('sid-a', sessionData({ count: 1 }));
    await adapter.set('sid-b', sessionData({ count: 2 }));
    const all = (await adapter.all()) as unknown as Array<{ id: string; count: number }>;
    const byId = Object.fromEntries(all.map((s) => [s.id, s.count]));
    expect(byId).toEqual({ 'sid-a': 1, 'sid-b': 2 });
  });

  test('[17.5] all() with hashed IDs returns the sessions, without IDs', async () => {
    const adapter = new ExpressSessionStore({ store: await open() });
    await adapter.set('sid-a', sessionData({ count: 1 }));
    const all = (await adapter.all()) as unknown as Array<Record<string, unknown>>;
    expect(all).toHaveLength(1);
    expect(all[0]).not.toHaveProperty('id');
    expect(all[0]?.count).toBe(1);
  });
}

// The middleware's behaviour, run against every store (stores.test.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULT_ABSOLUTE_TIMEOUT,
  hashSessionToken,
  richCodec,
  type SessionStore,
} from '@sessions/core';
import { expect, test } from 'vitest';
import { Browser, buildApp, countingWrites, delayed, failingWrites, storedCount } from './app.js';
import { closedAfterEach, eventually, type MakeStore, newUser } from './scope.js';

/** The createdAt of the session stored under `key` (inside the manager's envelope). */
async function storedCreatedAt(store: SessionStore, key: string): Promise<number> {
  const record = await store.get(key);
  const createdAt = (record?.data as { createdAt?: number } | undefined)?.createdAt;
  if (createdAt === undefined) throw new Error('no session is stored under this key');
  return createdAt;
}

export function honoScenarios(makeStore: MakeStore): void {
  /** Wait until `fn` passes, for up to a lagging user index's delay (DynamoDB's). */
  const settled = (fn: () => Promise<void>) => eventually(fn);
  const open = closedAfterEach(makeStore);
  const user = newUser;

  test('login regenerates: a new token with the same data, the old token dead', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    await browser.request('/count', 'POST');
    const before = browser.token;
    const oldKey = browser.key();
    const ada = user();
    expect((await browser.request(`/login/${ada}`, 'POST')).status).toBe(200);
    expect(browser.token).toBeDefined();
    expect(browser.token).not.toBe(before);
    expect(await store.get(oldKey)).toBeUndefined();
    expect(await store.get(browser.key())).toMatchObject({ userId: ada });
    expect(await browser.json('/me')).toEqual({ userId: ada, count: 1 });

    const stale = new Browser(app);
    stale.token = before;
    const res = await stale.request('/me');
    expect(await res.json()).toEqual({ userId: null, count: 0 });
    // It did not end that session, so it leaves the cookie alone (see the in-flight tests).
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  test("a login as another user starts from fresh data: nothing of the first user's session crosses", async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    const alice = user();
    const bob = user();
    await browser.request(`/login/${alice}`, 'POST');
    await browser.request('/count', 'POST');
    await browser.request('/count', 'POST');
    const aliceKey = browser.key();
    expect(await browser.json('/me')).toEqual({ userId: alice, count: 2 });
    // Bob logs in on the same browser, with Alice's cookie still in it.
    expect((await browser.request(`/login/${bob}`, 'POST')).status).toBe(200);
    expect(await browser.json('/me')).toEqual({ userId: bob, count: 0 });
    // Alice's session on this device ended; her token is dead.
    expect(await store.get(aliceKey)).toBeUndefined();
    // The same user logging in again keeps the session's data (a new token all the same).
    const bobKey = browser.key();
    await browser.request('/count', 'POST');
    await browser.request(`/login/${bob}`, 'POST');
    expect(browser.key()).not.toBe(bobKey);
    expect(await browser.json('/me')).toEqual({ userId: bob, count: 1 });
  });

  test('a counter over many requests', async () => {
    const { app } = buildApp(await open());
    const browser = new Browser(app);
    for (let i = 1; i <= 25; i++) {
      expect(await browser.json('/count', 'POST')).toEqual({ count: i });
    }
    expect(await browser.json('/me')).toEqual({ userId: null, count: 25 });
  });

  test('anonymous read-only visitors write nothing and get no cookie', async () => {
    const { store, writes } = countingWrites(await open());
    const { app } = buildApp(store);
    for (const path of ['/peek', '/me', '/sessions', '/peek']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect(writes()).toBe(0);
  });

  test('logout destroys the session at the store and clears the cookie', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    await browser.request(`/login/${user()}`, 'POST');
    const token = browser.token;
    const key = browser.key();
    const res = await browser.request('/logout', 'POST');
    expect(await res.json()).toEqual({ removed: true });
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-sid=;.*Max-Age=0/)]);
    expect(browser.token).toBeUndefined();
    expect(await store.get(key)).toBeUndefined();
    const replay = new Browser(app);
    replay.token = token;
    expect(await replay.json('/me')).toEqual({ userId: null, count: 0 });
  });

  test('log out everywhere else: other devices are out on their next request', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const ada = user();
    const [laptop, phone, tablet] = [new Browser(app), new Browser(app), new Browser(app)];
    for (const device of [laptop, phone, tablet]) await device.request(`/login/${ada}`, 'POST');
    expect(await laptop.json('/logout-everywhere?keep=1', 'POST')).toEqual({ ended: 2 });
    const phoneToken = phone.token;
    expect(await phone.json('/me')).toEqual({ userId: null, count: 0 });
    // Only the request that ended a session clears its cookie; the dead one is just a miss.
    expect(phone.token).toBe(phoneToken);
    expect(await tablet.json('/me')).toMatchObject({ userId: null });
    expect(await laptop.json('/me')).toMatchObject({ userId: ada });
    expect(await store.listByUser(ada)).toHaveLength(1);

    expect(await laptop.json('/logout-everywhere', 'POST')).toEqual({ ended: 1 });
    expect(laptop.token).toBeUndefined();
    expect(await store.listByUser(ada)).toEqual([]);
  });

  test('active sessions list the devices, and revoke ends one of them', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const ada = user();
    const laptop = new Browser(app, 'Laptop/1.0');
    const phone = new Browser(app, 'Phone/2.0');
    await laptop.request(`/login/${ada}`, 'POST');
    await phone.request(`/login/${ada}`, 'POST');
    const res = await laptop.request('/sessions');
    const text = await res.clone().text();
    expect(text).not.toContain(String(laptop.token));
    expect(text).not.toContain(String(phone.token));
    const list = (await res.json()) as Array<{
      handle: string;
      current: boolean;
      meta?: { userAgent?: string };
    }>;
    expect(list).toHaveLength(2);
    const mine = list.find((s) => s.current);
    const other = list.find((s) => !s.current);
    expect(mine?.meta?.userAgent).toBe('Laptop/1.0');
    expect(other?.meta?.userAgent).toBe('Phone/2.0');

    // Someone else's handle is not ours to revoke.
    const eve = new Browser(app);
    await eve.request(`/login/${user()}`, 'POST');
    expect(await eve.json(`/revoke/${other?.handle}`, 'POST')).toEqual({ revoked: false });

    expect(await laptop.json(`/revoke/${other?.handle}`, 'POST')).toEqual({ revoked: true });
    expect(await phone.json('/me')).toEqual({ userId: null, count: 0 });
    expect(await laptop.json('/sessions')).toHaveLength(1);
    // Revoking the current session logs this request out.
    expect(await laptop.json(`/revoke/${mine?.handle}`, 'POST')).toEqual({ revoked: true });
    expect(laptop.token).toBeUndefined();
  });

  test('a slow request finishing after logout does not bring the session back', async () => {
    const store = await open();
    const { app, parked, release } = buildApp(store);
    const browser = new Browser(app);
    await browser.request(`/login/${user()}`, 'POST');
    const key = browser.key();
    const slowClient = new Browser(app);
    slowClient.token = browser.token;
    const slow = slowClient.request('/slow-increment', 'POST');
    await parked;
    await browser.request('/logout', 'POST');
    release();
    const res = await slow;
    expect(res.status).toBe(409);
    // The logout's response cleared the cookie; this one did not end the session.
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await store.get(key)).toBeUndefined();
  });

  test('regenerate(c) on a privilege change: new token, same data and absolute deadline, nothing left behind', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    const ada = user();
    await browser.request(`/login/${ada}`, 'POST');
    const oldToken = browser.token;
    const oldKey = browser.key();
    const createdAt = await storedCreatedAt(store, oldKey);
    await sleep(5); // so that a restarted lifetime would show in createdAt
    const res = await browser.request('/elevate', 'POST');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rotated: true });
    const [cookie, ...more] = res.headers.getSetCookie();
    expect(more).toEqual([]);
    expect(browser.token).toBeDefined();
    expect(browser.token).not.toBe(oldToken);
    expect(await store.get(oldKey)).toBeUndefined();
    // Same absolute deadline: the stored createdAt, and the cookie's expiry, did not move.
    expect(await storedCreatedAt(store, browser.key())).toBe(createdAt);
    expect(cookie).toContain(
      `Expires=${new Date(createdAt + DEFAULT_ABSOLUTE_TIMEOUT).toUTCString()}`,
    );
    // The unsaved change rode along, and the one live session is the one the browser holds.
    expect(await browser.json('/me')).toEqual({ userId: ada, count: 1 });
    await settled(async () =>
      expect((await store.listByUser(ada)).map((e) => e.key)).toEqual([browser.key()]),
    );
  });

  test("the manager's regenerate on the request's own session works as regenerate(c)", async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    const ada = user();
    await browser.request(`/login/${ada}`, 'POST');
    const oldKey = browser.key();
    const res = await browser.request('/elevate-manager', 'POST');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rotated: true });
    expect(await store.get(oldKey)).toBeUndefined();
    expect(await browser.json('/me')).toEqual({ userId: ada, count: 0 });
    await settled(async () =>
      expect((await store.listByUser(ada)).map((e) => e.key)).toEqual([browser.key()]),
    );
  });

  test('regenerate(c) for an anonymous visitor with no session rotates nothing and sets no cookie', async () => {
    const { store, writes } = countingWrites(await open());
    const { app } = buildApp(store);
    const res = await app.request('/elevate-anonymous', { method: 'POST' });
    expect(await res.json()).toEqual({ rotated: false });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(writes()).toBe(0);
  });

  test('"log out everywhere" racing a privilege change on another device leaves no session alive', async () => {
    const store = await open();
    const { app } = buildApp(delayed(store));
    for (let round = 0; round < 20; round++) {
      const ada = user();
      const [laptop, phone] = [new Browser(app), new Browser(app)];
      await laptop.request(`/login/${ada}`, 'POST');
      await phone.request(`/login/${ada}`, 'POST');
      const [elevated, loggedOut] = await Promise.all([
        phone.request('/elevate', 'POST'),
        laptop.request('/logout-everywhere', 'POST'),
      ]);
      expect(loggedOut.status).toBe(200);
      expect([200, 409]).toContain(elevated.status);
      // (If the logout won before the phone's request loaded, that request started an
      // anonymous session of its own: anonymous is all that counts.)
      expect(await phone.json('/me'), `round ${round}: the phone is still logged in`).toMatchObject(
        { userId: null },
      );
      expect(await laptop.json('/me')).toEqual({ userId: null, count: 0 });
    }
  });

  test('parallel requests on one session never lose an update silently', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    await browser.request(`/login/${user()}`, 'POST');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => browser.request('/count', 'POST')),
    );
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok + results.filter((r) => r.status === 409).length).toBe(20);
    expect(ok).toBeGreaterThan(0);
    expect(await storedCount(store, browser.key())).toBe(ok);
  });

  test('the cookie is __Host-sid; Secure; HttpOnly; SameSite=Lax; Path=/', async () => {
    const { app } = buildApp(await open());
    const res = await new Browser(app).request(`/login/${user()}`, 'POST');
    const [cookie, ...more] = res.headers.getSetCookie();
    expect(more).toEqual([]);
    expect(cookie).toMatch(/^__Host-sid=[A-Za-z0-9_-]{43};/);
    const attributes = (cookie ?? '').split(/;\s*/).slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']),
    );
    expect(attributes.some((a) => /^Max-Age=\d+$/.test(a))).toBe(true);
    expect(attributes.some((a) => /^Domain=/i.test(a))).toBe(false);
  });

  test('a store that cannot write makes the response a 503 without a cookie', async () => {
    const store = await open();
    const { app } = buildApp(failingWrites(store));
    const res = await app.request('/count', { method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.text()).not.toContain('count');
    const login = await app.request(`/login/${user()}`, { method: 'POST' });
    expect(login.status).toBe(503);
    expect(login.headers.getSetCookie()).toEqual([]);
  });

  test('a store closed under the app makes responses errors without a cookie', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    await browser.request(`/login/${user()}`, 'POST');
    await store.close();
    for (const [path, method] of [
      ['/count', 'POST'],
      ['/me', 'GET'],
      ['/logout', 'POST'],
    ] as const) {
      const res = await browser.request(path, method);
      expect(res.status).toBe(503);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const anonymous = await app.request('/count', { method: 'POST' });
    expect(anonymous.status).toBe(503);
    expect(anonymous.headers.getSetCookie()).toEqual([]);
  });

  test('a handler that throws stores none of its changes', async () => {
    const store = await open();
    const { app } = buildApp(store);
    const browser = new Browser(app);
    await browser.request('/count', 'POST');
    const res = await browser.request('/count-then-fail', 'POST');
    expect(res.status).toBe(500);
    expect(await browser.json('/me')).toEqual({ userId: null, count: 1 });
    expect(await storedCount(store, hashSessionToken(String(browser.token)))).toBe(1);
  });

  test('Dates in session data survive with the Date-preserving codec', async () => {
    const { app } = buildApp(await open({ codec: richCodec }));
    const browser = new Browser(app);
    await browser.request('/seen', 'POST');
    expect(await browser.json('/seen')).toEqual({ isDate: true, time: 1_700_000_000_123 });
  });
}

import {
  generateSessionToken,
  type MissReason,
  type SessionEvent,
  type SessionStore,
} from '@sessions/core';
import { expect, test } from 'vitest';
import { missReason } from '../src/index.js';
import { Browser, buildApp, COOKIE, countingCalls, failingReads, type TestApp } from './app.js';
import { closedAfterEach, eventually, type MakeStore, newUser } from './scope.js';

const MINUTE = 60_000;

/** Everything a client can see of a response (the date header aside, which Hono does not set). */
async function visible(res: Response) {
  return {
    status: res.status,
    headers: [...res.headers.entries()].sort(),
    body: await res.text(),
  };
}

export function missScenarios(makeStore: MakeStore): void {
  const open = closedAfterEach(makeStore);
  const user = newUser;

  /** An app over `store` that records each request's `c.var.sessionMiss` and the miss events. */
  function observed(
    store: SessionStore,
    extra: Parameters<typeof buildApp>[1] = {},
  ): TestApp & { seen: Array<MissReason | undefined>; events: SessionEvent[] } {
    const seen: Array<MissReason | undefined> = [];
    const events: SessionEvent[] = [];
    const built = buildApp(
      store,
      { ...extra, on: { miss: (event: SessionEvent) => events.push(event) } } as never,
      (c) => seen.push(c.var.sessionMiss),
    );
    return { ...built, seen, events };
  }

  /** GET /me with `cookie` (raw header value) or none, as an anonymous-looking client. */
  const me = (app: TestApp['app'], token?: string) =>
    app.request('/me', {
      headers: {
        'user-agent': 'test-browser/1.0',
        ...(token === undefined ? {} : { cookie: `${COOKIE}=${token}` }),
      },
    });

  test('miss reasons: no-cookie, malformed, not-found, all answered alike', async () => {
    const { app, seen, events } = observed(await open());
    const baseline = await visible(await me(app));
    for (const token of ['not-a-token', generateSessionToken()]) {
      expect(await visible(await me(app, token))).toEqual(baseline);
    }
    expect(seen).toEqual(['no-cookie', 'malformed', 'not-found']);
    expect(events.map((e) => (e.type === 'miss' ? e.reason : e.type))).toEqual(seen);
    expect(JSON.parse(baseline.body)).toEqual({ userId: null, count: 0 });
    expect(baseline.headers.some(([name]) => name === 'set-cookie')).toBe(false);
  });

  test('miss reason rotated: the old token after a login or a privilege change', async () => {
    const { app, seen } = observed(await open());
    const baseline = await visible(await me(app));
    const browser = new Browser(app);
    await browser.request('/count', 'POST');
    const anonymous = String(browser.token);
    await browser.request(`/login/${user()}`, 'POST');
    const loggedIn = String(browser.token);
    await browser.request('/elevate', 'POST');
    seen.length = 0;
    expect(await visible(await me(app, anonymous))).toEqual(baseline);
    expect(await visible(await me(app, loggedIn))).toEqual(baseline);
    expect(seen).toEqual(['rotated', 'rotated']);
    // The browser's own session is a hit: nothing recorded.
    seen.length = 0;
    expect(await browser.json('/me')).toMatchObject({ count: 2 });
    expect(seen).toEqual([undefined]);
  });

  test('miss reason revoked: by revoke of the handle, and by "log out everywhere"', async () => {
    const store = await open();
    const { app, seen, events } = observed(store);
    const baseline = await visible(await me(app));
    const ada = user();
    const [laptop, phone, tablet] = [new Browser(app), new Browser(app), new Browser(app)];
    for (const device of [laptop, phone, tablet]) await device.request(`/login/${ada}`, 'POST');
    // "Log out everywhere" leaves tombstones for the sessions the user index shows.
    await eventually(async () => expect(await store.listByUser(ada)).toHaveLength(3));
    const list = await laptop.json<Array<{ handle: string; current: boolean }>>('/sessions');
    const phoneHandle = list.find((s) => !s.current && s.handle === phone.key())?.handle;
    expect(await laptop.json(`/revoke/${phoneHandle}`, 'POST')).toEqual({ revoked: true });
    expect(await laptop.json('/logout-everywhere?keep=1', 'POST')).toEqual({ ended: 1 });
    seen.length = 0;
    events.length = 0;
    expect(await visible(await me(app, phone.token))).toEqual(baseline);
    expect(await visible(await me(app, tablet.token))).toEqual(baseline);
    expect(seen).toEqual(['revoked', 'revoked']);
    expect(events).toEqual([
      { type: 'miss', reason: 'revoked', handle: phone.key() },
      { type: 'miss', reason: 'revoked', handle: tablet.key() },
    ]);
  });

  test('miss reasons expired-idle and expired-absolute, while the store still serves the record', async () => {
    // The app's clock runs ahead of the store's (the store keeps real time): the record is
    // still served, and the manager's limits say which one ended the session.
    let skew = 0;
    const { app, seen } = observed(await open(), {
      clock: () => Date.now() + skew,
      idleTimeout: 30 * MINUTE,
      absoluteTimeout: 60 * MINUTE,
      touchAfter: MINUTE,
    } as never);
    const baseline = await visible(await me(app));
    const idle = new Browser(app);
    const busy = new Browser(app);
    await idle.request(`/login/${user()}`, 'POST');
    await busy.request(`/login/${user()}`, 'POST');
    for (const ahead of [25, 50]) {
      skew = ahead * MINUTE;
      expect((await busy.request('/count', 'POST')).status).toBe(200);
    }
    seen.length = 0;
    expect(await visible(await me(app, idle.token))).toEqual(baseline); // idle since minute 0
    skew = 61 * MINUTE; // past the absolute hour, 11 minutes after busy's last request
    expect(await visible(await me(app, busy.token))).toEqual(baseline);
    expect(seen).toEqual(['expired-idle', 'expired-absolute']);
  });

  test('miss reason store-unavailable: recorded and emitted, and the request fails closed with a 503', async () => {
    const { app, seen, events } = observed(failingReads(await open()));
    const res = await me(app, generateSessionToken());
    expect(res.status).toBe(503);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(seen).toEqual(['store-unavailable']);
    expect(events).toEqual([expect.objectContaining({ reason: 'store-unavailable' })]);
  });

  test('missReason(c) loads the session when no one asked yet', async () => {
    const store = await open();
    const { app } = buildApp(store);
    app.get('/why', async (c) => {
      const reason = await missReason(c);
      // The test app shows it only to check it; a real app logs it, see missReason's docs.
      return c.json({ reason: reason ?? null });
    });
    const browser = new Browser(app);
    expect(await browser.json('/why')).toEqual({ reason: 'no-cookie' });
    await browser.request('/count', 'POST');
    expect(await browser.json('/why')).toEqual({ reason: null });
  });

  test('a hit costs exactly one store get; a miss with a cookie, one more', async () => {
    const counter = countingCalls(await open());
    const { app } = buildApp(counter.store);
    const browser = new Browser(app);
    await browser.request(`/login/${user()}`, 'POST');
    counter.reset();
    expect(await browser.json('/me')).toMatchObject({ count: 0 });
    expect(counter.calls()).toEqual({ get: 1 });
    counter.reset();
    await me(app);
    await me(app, 'not-a-token');
    expect(counter.calls()).toEqual({});
    await me(app, generateSessionToken());
    expect(counter.calls()).toEqual({ get: 2 });
  });

  test('a listener that throws never breaks a request', async () => {
    const warnings: unknown[] = [];
    const { app } = buildApp(await open(), {
      on: {
        miss: () => {
          throw new Error('listener bug');
        },
        created: () => Promise.reject(new Error('async listener bug')),
      },
      onListenerError: (error: unknown) => warnings.push(error),
    } as never);
    const browser = new Browser(app);
    expect(await browser.json('/count', 'POST')).toEqual({ count: 1 }); // a miss, then created
    expect(await browser.json('/count', 'POST')).toEqual({ count: 2 });
    expect((await me(app, generateSessionToken())).status).toBe(200);
    await eventually(async () => expect(warnings).toHaveLength(3));
  });
}

// Requests still in flight with the cookie from before a login, run against every store
// (stores.test.ts): whatever they do, the browser keeps the login cookie.
import { expect, test } from 'vitest';
import { Browser, buildApp, countingWrites } from './app.js';
import { closedAfterEach, type MakeStore, newUser } from './scope.js';

export function loginRaceScenarios(makeStore: MakeStore): void {
  const open = closedAfterEach(makeStore);
  const user = newUser;

  test('a request in flight with the cookie from before a login cannot wipe the login cookie', async () => {
    const store = await open();
    const { app, parked, release } = buildApp(store);
    const browser = new Browser(app);
    await browser.request('/count', 'POST'); // an anonymous session
    const slow = browser.request('/slow-increment', 'POST'); // loaded it, still working
    await parked;
    const ada = user();
    await browser.request(`/login/${ada}`, 'POST');
    const loggedIn = browser.token;
    release();
    const res = await slow;
    expect(res.status).toBe(409); // its change was to the session the login replaced
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(browser.token).toBe(loggedIn);
    expect(await browser.json('/me')).toEqual({ userId: ada, count: 1 });
  });

  test('a read in flight with the cookie from before a login cannot wipe the login cookie', async () => {
    const store = await open();
    const { app, parked, release } = buildApp(store);
    const browser = new Browser(app);
    await browser.request('/count', 'POST');
    const slow = browser.request('/slow-me'); // reads only once the login is done
    await parked;
    const ada = user();
    await browser.request(`/login/${ada}`, 'POST');
    const loggedIn = browser.token;
    release();
    const res = await slow;
    expect(await res.json()).toEqual({ userId: null });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(browser.token).toBe(loggedIn);
    expect(await browser.json('/me')).toEqual({ userId: ada, count: 1 });
  });

  test('a write in flight with the cookie from before a login starts no session that could replace the login cookie', async () => {
    const { store, writes } = countingWrites(await open());
    const { app, parked, release } = buildApp(store);
    const browser = new Browser(app);
    await browser.request('/count', 'POST');
    const stale = browser.token;
    const slow = browser.request('/slow-count', 'POST'); // loads only once the login is done
    await parked;
    const ada = user();
    await browser.request(`/login/${ada}`, 'POST');
    const loggedIn = browser.token;
    const before = writes();
    release();
    const res = await slow;
    expect(res.status).toBe(409); // its write was for a session the login moved on from
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(writes()).toBe(before); // no orphan session stored for no one
    expect(browser.token).toBe(loggedIn);
    expect(loggedIn).not.toBe(stale);
    expect(await browser.json('/me')).toEqual({ userId: ada, count: 1 });
  });

  test('a read in flight with a rotated cookie still answers, and stores and sends nothing', async () => {
    const { store, writes } = countingWrites(await open());
    const { app, parked, release } = buildApp(store);
    const browser = new Browser(app);
    await browser.request('/count', 'POST');
    const slow = browser.request('/slow-peek');
    await parked;
    await browser.request(`/login/${user()}`, 'POST');
    const loggedIn = browser.token;
    const before = writes();
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: 0 });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(writes()).toBe(before);
    expect(browser.token).toBe(loggedIn);
  });
}

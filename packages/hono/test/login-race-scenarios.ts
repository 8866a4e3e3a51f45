// Requests still in flight with the cookie from before a login, run against every store
// (stores.test.ts): whatever they do, the browser keeps the login cookie.
import { expect, test } from 'vitest';
import { Browser, buildApp, countingWrites } from './app.js';
import { closedAfterEach, type MakeStore, newUser } from './scope.js';

export function loginRaceScenarios(makeStore: MakeStore): void {
  const open = closedAfterEach(makeStore);
  const user = newUser;

  /**
   * An anonymous session, then a slow request at `path` parked in the app while the same
   * browser logs in; once the login is done the slow request goes on. Resolves to its response
   * and what the browser and the store looked like around it.
   */
  async function slowRequestAcrossLogin(method: 'GET' | 'POST', path: string) {
    const { store, writes } = countingWrites(await open());
    const { app, parked, release } = buildApp(store);
    const browser = new Browser(app);
    await browser.request('/count', 'POST'); // an anonymous session
    const stale = browser.token;
    const slow = browser.request(path, method);
    await parked;
    const userId = user();
    await browser.request(`/login/${userId}`, 'POST');
    const loggedIn = browser.token;
    const writesBefore = writes();
    release();
    const res = await slow;
    return { res, browser, stale, loggedIn, userId, writesAfter: writes(), writesBefore };
  }

  test('a request in flight with the cookie from before a login cannot wipe the login cookie', async () => {
    // Loaded the anonymous session, still working when the login lands.
    const { res, browser, loggedIn, userId } = await slowRequestAcrossLogin(
      'POST',
      '/slow-increment',
    );
    expect(res.status).toBe(409); // its change was to the session the login replaced
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(browser.token).toBe(loggedIn);
    expect(await browser.json('/me')).toEqual({ userId, count: 1 });
  });

  test('a read in flight with the cookie from before a login cannot wipe the login cookie', async () => {
    const { res, browser, loggedIn, userId } = await slowRequestAcrossLogin('GET', '/slow-me'); // reads only once the login is done
    expect(await res.json()).toEqual({ userId: null });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(browser.token).toBe(loggedIn);
    expect(await browser.json('/me')).toEqual({ userId, count: 1 });
  });

  test('a write in flight with the cookie from before a login starts no session that could replace the login cookie', async () => {
    // Loads only once the login is done.
    const { res, browser, stale, loggedIn, userId, writesAfter, writesBefore } =
      await slowRequestAcrossLogin('POST', '/slow-count');
    expect(res.status).toBe(409); // its write was for a session the login moved on from
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(writesAfter).toBe(writesBefore); // no orphan session stored for no one
    expect(browser.token).toBe(loggedIn);
    expect(loggedIn).not.toBe(stale);
    expect(await browser.json('/me')).toEqual({ userId, count: 1 });
  });

  test('a read in flight with a rotated cookie still answers, and stores and sends nothing', async () => {
    const { res, browser, loggedIn, writesAfter, writesBefore } = await slowRequestAcrossLogin(
      'GET',
      '/slow-peek',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: 0 });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(writesAfter).toBe(writesBefore);
    expect(browser.token).toBe(loggedIn);
  });
}

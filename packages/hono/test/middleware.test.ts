// The middleware's own options and edge cases (store-independent, so on MemoryStore only).
import { createSessionManager, MemoryStore } from '@sessions/core';
import { Hono } from 'hono';
import { afterEach, expect, test } from 'vitest';
import { login, type SessionEnv, sessionMiddleware } from '../src/index.js';
import { Browser, buildApp, countingWrites, failingWrites } from './app.js';

const stores: MemoryStore[] = [];
const memory = () => {
  const store = new MemoryStore();
  stores.push(store);
  return store;
};
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

test('onUnavailable shapes the error response, and cannot attach a cookie to it', async () => {
  const { app } = buildApp(failingWrites(memory()), {
    onUnavailable: (c, err) => {
      c.header('set-cookie', 'sneaky=1');
      return c.json({ error: err.code }, 503, { 'set-cookie': 'other=2' });
    },
  });
  const res = await app.request('/count', { method: 'POST' });
  expect(res.status).toBe(503);
  expect(await res.json()).toEqual({ error: 'UNAVAILABLE' });
  expect(res.headers.getSetCookie()).toEqual([]);
});

test('onConflict shapes the response to a lost race', async () => {
  const { app } = buildApp(memory(), {
    onConflict: (c) => c.text('reload and retry', 409),
  });
  const browser = new Browser(app);
  await browser.request('/count', 'POST');
  const results = await Promise.all(
    Array.from({ length: 8 }, () => browser.request('/count', 'POST')),
  );
  const conflicts = results.filter((r) => r.status === 409);
  expect(conflicts.length).toBeGreaterThan(0);
  expect(await conflicts[0]?.text()).toBe('reload and retry');
});

test('a ready manager, with its own cookie settings, can be passed in', async () => {
  const store = memory();
  const manager = createSessionManager<{ count: number }>({
    store,
    cookie: { name: 'sid', secure: false, sameSite: 'strict' },
  });
  const app = new Hono<SessionEnv<{ count: number }>>();
  app.use(sessionMiddleware({ manager, initialData: () => ({ count: 0 }) }));
  app.post('/', async (c) => {
    (await c.var.session.get()).data.count += 1;
    return c.body(null, 204);
  });
  const res = await app.request('/', { method: 'POST' });
  const [cookie] = res.headers.getSetCookie();
  expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43}; /);
  expect(cookie).toContain('SameSite=Strict');
  expect(cookie).not.toContain('Secure');
});

test('a response with immutable headers (Response.redirect) still gets its cookie', async () => {
  const app = new Hono<SessionEnv<{ n: number }>>();
  app.use(sessionMiddleware<{ n: number }>({ store: memory(), initialData: () => ({ n: 0 }) }));
  app.post('/', async (c) => {
    (await c.var.session.get()).data.n = 1;
    return Response.redirect('http://localhost/', 303);
  });
  const res = await app.request('/', { method: 'POST' });
  expect(res.status).toBe(303);
  expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-sid=/)]);
});

test('meta: the default user agent, a custom function, and an override at login', async () => {
  const store = memory();
  const app = new Hono<SessionEnv>();
  app.use(sessionMiddleware({ store, meta: (c) => ({ device: c.req.header('x-device') ?? '?' }) }));
  app.post('/login', async (c) => {
    const label = c.req.query('label');
    const session = await login(c, 'ada', label ? { meta: { device: label } } : {});
    return c.json(session.meta);
  });
  const plain = await app.request('/login', { method: 'POST', headers: { 'x-device': 'phone' } });
  expect(await plain.json()).toEqual({ device: 'phone' });
  const labelled = await app.request('/login?label=Work laptop', { method: 'POST' });
  expect(await labelled.json()).toEqual({ device: 'Work laptop' });

  const { app: defaults } = buildApp(memory());
  const browser = new Browser(defaults, 'x'.repeat(1000));
  await browser.request('/login/ada', 'POST');
  const [listed] = await browser.json<Array<{ meta: { userAgent: string } }>>('/sessions');
  expect(listed?.meta.userAgent).toBe('x'.repeat(256));
});

test('an unchanged session is written back only once touchAfter has passed', async () => {
  let now = 1_800_000_000_000;
  const clock = () => now;
  const { store, writes } = countingWrites(new MemoryStore({ clock }));
  stores.push(store as MemoryStore);
  const { app } = buildApp(store, { clock, touchAfter: 60_000 });
  const browser = new Browser(app);
  await browser.request('/count', 'POST');
  const afterCreate = writes();
  now += 30_000;
  await browser.request('/peek');
  expect(writes()).toBe(afterCreate);
  now += 31_000;
  const touched = await browser.request('/peek');
  expect(writes()).toBe(afterCreate + 1);
  expect(touched.headers.getSetCookie()).toEqual([]); // same token: no cookie to resend
});

test('the helpers say so when the middleware is missing', async () => {
  const app = new Hono();
  app.onError((err, c) => c.text(err.message, 500));
  app.post('/login', async (c) => {
    await login(c as never, 'ada');
    return c.text('ok');
  });
  const res = await app.request('/login', { method: 'POST' });
  expect(await res.text()).toMatch(/is sessionMiddleware installed\?/);
});

// The demo's routes through app.request, on MemoryStore: fast, no browser, no server.
import { MemoryStore, type SessionStore, UnavailableError } from '@sessions/core';
import { afterEach, expect, test } from 'vitest';
import { createDemoApp } from '../src/app.js';
import { otherSessionHandle, type Send, Visitor } from './visitor.js';

const stores: SessionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function demo(store: SessionStore = new MemoryStore()): Send {
  stores.push(store);
  const app = createDemoApp({ store });
  return (path, init) => Promise.resolve(app.request(path, init));
}

test('an anonymous visitor sees the shop and the login form, and costs no cookie', async () => {
  const visitor = new Visitor(demo());
  const page = await visitor.get('/');
  expect(page.status).toBe(200);
  expect(page.body).toContain('Not logged in');
  expect(page.body).toContain('there is no password');
  expect(page.body).toContain('action="/login"');
  expect(visitor.cookie).toBeUndefined();
});

test('the cart: add and remove, kept across requests, carried over at login', async () => {
  const visitor = new Visitor(demo());
  expect((await visitor.post('/cart/add', { sku: 'tea' })).status).toBe(303);
  await visitor.post('/cart/add', { sku: 'tea' });
  await visitor.post('/cart/add', { sku: 'mug' });
  await visitor.post('/cart/remove', { sku: 'mug' });
  const anonymousCookie = visitor.cookie;
  expect(anonymousCookie).toMatch(/^__Host-sid=/);
  expect((await visitor.post('/login', { username: 'ada', device: 'Desk' })).status).toBe(303);
  expect(visitor.cookie).not.toBe(anonymousCookie);
  const page = await visitor.get('/');
  expect(page.body).toContain('Logged in as <strong>ada</strong>');
  expect(page.body).toMatch(/data-sku="tea"[\s\S]*× 2/);
  expect(page.body).not.toContain('data-sku="mug"');
  expect(page.body).toContain('€13.00');
});

test('active sessions: devices listed, one revoked, that one logged out next time', async () => {
  const app = demo();
  const laptop = new Visitor(app);
  const phone = new Visitor(app, 'Mozilla/5.0 (Linux; Android 14) Chrome/140.0 Mobile');
  await laptop.post('/login', { username: 'bo', device: 'Laptop' });
  await phone.post('/login', { username: 'bo' });
  const page = (await laptop.get('/sessions')).body;
  expect(page.match(/<tr class="session/g)).toHaveLength(2);
  expect(page).toMatch(/Laptop <span class="current">\(this device\)<\/span>/);
  expect(page).toContain('Chrome on Android');
  const phoneHandle = otherSessionHandle(page);
  expect(phoneHandle).toBeDefined();

  const revoke = await laptop.post('/sessions/revoke', { handle: String(phoneHandle) });
  expect(revoke.res.headers.get('location')).toBe('/sessions');
  const phoneNext = await phone.get('/');
  expect(phoneNext.body).toContain('Not logged in');
  // Only the request that ended a session clears its cookie (a stale request must not wipe a
  // newer login's): the phone keeps a dead cookie, which opens nothing.
  expect((await phone.get('/sessions')).body).toContain('Log in to see your sessions.');
  expect((await laptop.get('/')).body).toContain('Logged in as <strong>bo</strong>');
});

test('log out everywhere else, then everywhere', async () => {
  const app = demo();
  const [a, b, c] = [new Visitor(app), new Visitor(app), new Visitor(app)];
  for (const v of [a, b, c]) await v.post('/login', { username: 'cy' });
  await a.post('/sessions/logout-others');
  expect((await b.get('/')).body).toContain('Not logged in');
  expect((await c.get('/sessions')).body).toContain('Log in to see your sessions.');
  expect((await a.get('/sessions')).body.match(/<tr class="session/g)).toHaveLength(1);
  await a.post('/sessions/logout-all');
  expect((await a.get('/')).body).toContain('Not logged in');
});

test('bad input is refused: usernames, products, cross-site posts', async () => {
  const app = demo();
  const visitor = new Visitor(app);
  const bad = await visitor.post('/login', { username: '<script>' });
  expect(bad.status).toBe(400);
  expect(bad.body).not.toContain('<script>');
  expect(visitor.cookie).toBeUndefined();
  expect((await visitor.post('/cart/add', { sku: '__proto__' })).status).toBe(400);
  const crossSite = await app('/login', {
    method: 'POST',
    headers: { origin: 'https://evil.example' },
    body: new URLSearchParams({ username: 'ada' }),
  });
  expect(crossSite.status).toBe(403);
  expect(crossSite.headers.getSetCookie()).toEqual([]);
});

test('a store that cannot write gives a 503 page and no cookie', async () => {
  const inner = new MemoryStore();
  const failing: SessionStore = {
    maxPayloadBytes: inner.maxPayloadBytes,
    get: (key) => inner.get(key),
    set: async () => {
      throw new UnavailableError('demo-test', 'the server is down (test)');
    },
    touch: (key, at) => inner.touch(key, at),
    delete: (key) => inner.delete(key),
    listByUser: (user) => inner.listByUser(user),
    deleteByUser: (user, options) => inner.deleteByUser(user, options),
    clear: () => inner.clear(),
    close: () => inner.close(),
  };
  const visitor = new Visitor(demo(failing));
  const res = await visitor.post('/cart/add', { sku: 'tea' });
  expect(res.status).toBe(503);
  expect(res.body).toContain('Sessions are unavailable');
  expect(visitor.cookie).toBeUndefined();
});

// The sessions page tells the logged-in user why this browser's previous session ended, and
// only there: every other response is the same whatever the reason.
import { MemoryStore, type SessionStore } from '@sessions/core';
import { afterEach, expect, test } from 'vitest';
import { createDemoApp } from '../src/app.js';
import { otherSessionHandle, type Send, Visitor } from './visitor.js';

const stores: SessionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function demo(clock?: () => number): Send {
  const store = new MemoryStore();
  stores.push(store);
  const app = createDemoApp({ store, ...(clock ? { clock } : {}) });
  return (path, init) => Promise.resolve(app.request(path, init));
}

const lastMiss = (page: string) => /id="last-miss" data-reason="([a-z-]+)"/.exec(page)?.[1];

test('a first login says nothing about a previous session', async () => {
  const visitor = new Visitor(demo());
  await visitor.post('/login', { username: 'ada' });
  const page = (await visitor.get('/sessions')).body;
  expect(page).toContain('Active sessions');
  expect(lastMiss(page)).toBeUndefined();
});

test('a revoked device, logged in again, is told its session was revoked', async () => {
  const app = demo();
  const laptop = new Visitor(app);
  const phone = new Visitor(app, 'Mozilla/5.0 (Linux; Android 14) Chrome/140.0 Mobile');
  await laptop.post('/login', { username: 'bo' });
  await phone.post('/login', { username: 'bo' });
  const handle = otherSessionHandle((await laptop.get('/sessions')).body);
  await laptop.post('/sessions/revoke', { handle: String(handle) });

  // The shop looks the same to the phone as to any anonymous visitor: no reason shown.
  const shop = (await phone.get('/')).body;
  expect(shop).toContain('Not logged in');
  expect(shop).not.toContain('revoked');
  await phone.post('/login', { username: 'bo' });
  const page = (await phone.get('/sessions')).body;
  expect(lastMiss(page)).toBe('revoked');
  expect(page).toContain('it was revoked');
  // The laptop, never logged out, has nothing to be told.
  expect(lastMiss((await laptop.get('/sessions')).body)).toBeUndefined();
});

test('an idle session, expired, is explained after the next login', async () => {
  // Ahead of the store's own clock, so the store still serves the record the manager ends.
  let now = Date.now();
  const visitor = new Visitor(demo(() => now));
  await visitor.post('/login', { username: 'cy' });
  now += 31 * 60_000; // past the 30-minute idle timeout
  await visitor.post('/cart/add', { sku: 'tea' }); // a new, anonymous session, remembering why
  await visitor.post('/login', { username: 'cy' });
  const page = (await visitor.get('/sessions')).body;
  expect(lastMiss(page)).toBe('expired-idle');
  expect(page).toContain(`${new Date(now).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
});

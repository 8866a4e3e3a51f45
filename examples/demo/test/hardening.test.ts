// The demo's defences (issue 17, "The demo"): a body size limit, security headers, and a cap on
// sessions per user. Through app.request on MemoryStore, and over real HTTP on SQLite.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type SessionStore } from '@sessions/core';
import { afterEach, expect, test } from 'vitest';
import { createDemoApp, type DemoAppOptions, MAX_BODY_BYTES } from '../src/app.js';
import { serveDemo } from '../src/serve.js';
import { overHttp, type Send, Visitor } from './visitor.js';

const stores: SessionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function demo(options: Partial<DemoAppOptions> = {}): Send {
  const store = options.store ?? new MemoryStore();
  stores.push(store);
  const app = createDemoApp({ ...options, store });
  return (path, init) => Promise.resolve(app.request(path, init));
}

test('a body over the limit is refused with 413, before any session is written', async () => {
  const store = new MemoryStore();
  const visitor = new Visitor(demo({ store }));
  const padding = 'x'.repeat(MAX_BODY_BYTES);
  const res = await visitor.post('/cart/add', { sku: 'tea', padding });
  expect(res.status).toBe(413);
  expect(res.body).toContain('Too much data');
  expect(visitor.cookie).toBeUndefined();
  const login = await visitor.post('/login', { username: 'ada', padding });
  expect(login.status).toBe(413);
  expect(await store.listByUser('ada')).toEqual([]);
  // A normal form still goes through.
  expect((await visitor.post('/cart/add', { sku: 'tea' })).status).toBe(303);
});

test('a body over the limit without a Content-Length is cut off too', async () => {
  const send = demo();
  const chunk = new TextEncoder().encode(`sku=tea&padding=${'x'.repeat(1024)}`);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 64) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const res = await send('/cart/add', {
    method: 'POST',
    headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    body,
    duplex: 'half',
  } as RequestInit);
  expect(res.status).toBe(413);
  expect(sent).toBeLessThan(64); // stopped reading, rather than buffering it all
});

test('every page carries CSP with frame-ancestors, nosniff, a Referrer-Policy, no-store', async () => {
  const visitor = new Visitor(demo());
  await visitor.post('/login', { username: 'ada' });
  for (const path of ['/', '/sessions']) {
    const { res, body } = await visitor.get(path);
    expect(body).toContain('Logged in as <strong>ada</strong>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The one inline stylesheet is the one the policy allows, byte for byte.
    const style = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
  }
});

test('error pages and redirects carry the headers too', async () => {
  const visitor = new Visitor(demo());
  const bad = await visitor.post('/cart/add', { sku: 'nothing' });
  expect(bad.status).toBe(400);
  const redirect = await visitor.post('/cart/add', { sku: 'tea' });
  expect(redirect.status).toBe(303);
  for (const { res } of [bad, redirect]) {
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  }
});

test('a login beyond the cap revokes the oldest sessions of that user, never the new one', async () => {
  let now = Date.UTC(2030, 0, 1);
  const send = demo({ maxSessionsPerUser: 3, clock: () => now });
  const devices = Array.from({ length: 5 }, () => new Visitor(send));
  for (const [i, device] of devices.entries()) {
    now += 60_000; // each device logs in a minute after the last
    await device.post('/login', { username: 'ada', device: `device ${i}` });
  }
  const page = (await devices[4]?.get('/sessions'))?.body ?? '';
  expect(page.match(/<tr class="session/g)).toHaveLength(3);
  for (const i of [2, 3, 4]) expect(page).toContain(`device ${i}`);
  for (const [i, device] of devices.entries()) {
    const home = await device.get('/');
    expect(home.body.includes('Logged in as')).toBe(i >= 2);
  }
  // Another user's sessions are not counted, nor touched.
  const bob = new Visitor(send);
  await bob.post('/login', { username: 'bob' });
  expect((await devices[2]?.get('/'))?.body).toContain('Logged in as <strong>ada</strong>');
});

test('the cap must be a positive integer', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    expect(() => createDemoApp({ store: new MemoryStore(), maxSessionsPerUser: bad })).toThrow(
      RangeError,
    );
  }
});

test('over real HTTP: an oversized post is a 413 and pages carry the headers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-hardening-'));
  const demo = await serveDemo({
    store: `sqlite:${join(dir, 'd.db')}`,
    port: 0,
    hostname: '127.0.0.1',
  });
  try {
    const visitor = new Visitor(overHttp(demo.url), 'Laptop', demo.url);
    const big = await visitor.post('/login', { username: 'ada', padding: 'x'.repeat(64 * 1024) });
    expect(big.status).toBe(413);
    expect(visitor.cookie).toBeUndefined();
    expect((await visitor.post('/login', { username: 'ada' })).status).toBe(303);
    const { res, body } = await visitor.get('/');
    expect(body).toContain('Logged in as <strong>ada</strong>');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  } finally {
    await demo.close();
  }
});

// The README's recipe, run: what users copy must work.
import { MemoryStore } from '@sessions/core';
import { afterEach, expect, test, vi } from 'vitest';
import { createApp } from '../examples/recipe.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

test('the recipe logs in, keeps a cart and logs out', async () => {
  vi.stubEnv('SESSION_SECRET', 'a test secret, at least thirty-two characters long');
  const store = new MemoryStore();
  const app = await createApp(store);
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const login = await app.inject({
    method: 'POST',
    url: '/login',
    payload: 'user=ada',
    headers: form,
  });
  expect(login.statusCode).toBe(302);
  const sid = login.cookies.find((c) => c.name === 'sessionId');
  const cookie = `sessionId=${sid?.value}`;
  await app.inject({
    method: 'POST',
    url: '/cart',
    payload: 'sku=tea',
    headers: { ...form, cookie },
  });
  expect((await app.inject({ url: '/', headers: { cookie } })).json()).toEqual({
    user: 'ada',
    cart: ['tea'],
  });
  await app.inject({ method: 'POST', url: '/logout', headers: { cookie } });
  expect((await app.inject({ url: '/', headers: { cookie } })).json()).toEqual({
    user: null,
    cart: [],
  });
  await app.close();
  await store.close();
});

// A secret in the source is public: the recipe has none, and refuses to start without one.
test('the recipe refuses to start without SESSION_SECRET, or with a short one', async () => {
  for (const secret of [undefined, '', 'too short']) {
    vi.stubEnv('SESSION_SECRET', secret);
    await expect(createApp(new MemoryStore())).rejects.toThrow(/SESSION_SECRET/);
  }
});

// The README's recipe, run: what users copy must work.
import { MemoryStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { createApp } from '../examples/recipe.js';

test('the recipe logs in, keeps a cart and logs out', async () => {
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

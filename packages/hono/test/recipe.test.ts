// The README's recipe, run: what users copy must work.
import { MemoryStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { createApp } from '../examples/recipe.js';

test('the recipe logs in, keeps a cart and logs out', async () => {
  const store = new MemoryStore();
  const app = createApp(store);
  let cookie = '';
  const send = async (path: string, form?: Record<string, string>) => {
    const res = await app.request(path, {
      method: form ? 'POST' : 'GET',
      headers: { cookie },
      ...(form ? { body: new URLSearchParams(form) } : {}),
    });
    const set = res.headers.getSetCookie()[0];
    if (set !== undefined) cookie = set.split(';')[0] ?? '';
    return res;
  };
  expect((await send('/login', { user: 'ada' })).status).toBe(302);
  expect((await send('/cart', { sku: 'tea' })).status).toBe(200);
  expect(await (await send('/')).json()).toEqual({ user: 'ada', cart: ['tea'] });
  expect((await send('/logout', {})).status).toBe(302);
  expect(cookie).toBe('__Host-sid=');
  expect(await (await send('/')).json()).toEqual({ user: null, cart: [] });
  await store.close();
});

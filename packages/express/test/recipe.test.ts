// The README's recipe, run: what users copy must work.
import { MemoryStore } from '@sessions/core';
import request from 'supertest';
import { expect, test } from 'vitest';
import { createApp } from '../examples/recipe.js';

test('the recipe logs in, keeps a cart and logs out', async () => {
  const store = new MemoryStore();
  const agent = request.agent(createApp(store));
  await agent.post('/login').type('form').send({ user: 'ada' }).expect(302);
  await agent.post('/cart').type('form').send({ sku: 'tea' }).expect(200);
  expect((await agent.get('/').expect(200)).body).toEqual({ user: 'ada', cart: ['tea'] });
  await agent.post('/logout').expect(302);
  expect((await agent.get('/').expect(200)).body).toEqual({ user: null, cart: [] });
  await store.close();
});

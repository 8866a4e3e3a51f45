// The README's recipe on every store (issue 17, item 6b): a login whose writes fail answers an
// error without a cookie and keeps the visitor's session; a healthy login is two writes.
import type { SessionStore } from '@sessions/core';
import request from 'supertest';
import { expect, test } from 'vitest';
import { createApp } from '../examples/recipe.js';
import { closedAfterEach } from './app.js';
import { probe, totalWrites } from './store-probe.js';

const SECRET = 'test secret, not for production';

export function recipeScenarios(makeStore: () => Promise<SessionStore>): void {
  const open = closedAfterEach(makeStore);

  test('the recipe logs in, keeps a cart and logs out', async () => {
    const agent = request.agent(createApp(await open(), SECRET));
    await agent.post('/login').type('form').send({ user: 'ada' }).expect(302);
    await agent.post('/cart').type('form').send({ sku: 'tea' }).expect(200);
    expect((await agent.get('/').expect(200)).body).toEqual({ user: 'ada', cart: ['tea'] });
    await agent.post('/logout').expect(302);
    expect((await agent.get('/').expect(200)).body).toEqual({ user: null, cart: [] });
  });

  test('[17.6b] a login while writes fail: 503, no cookie, the cart kept, nothing written after', async () => {
    const probed = probe(await open());
    const agent = request.agent(createApp(probed.store, SECRET));
    await agent.post('/cart').type('form').send({ sku: 'tea' }).expect(200);
    probed.failWrites = true;
    const before = totalWrites(probed);
    const login = await agent.post('/login').type('form').send({ user: 'ada' });
    expect(login.status).toBe(503);
    expect(login.headers['set-cookie']).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(totalWrites(probed) - before).toBe(1); // the failed delete of regenerate, no retry
    probed.failWrites = false;
    expect((await agent.get('/').expect(200)).body).toEqual({ user: null, cart: ['tea'] });
  });

  test('[17.6b] a login whose save fails: 503, no cookie for the session never stored', async () => {
    const probed = probe(await open());
    const agent = request.agent(createApp(probed.store, SECRET));
    await agent.post('/cart').type('form').send({ sku: 'tea' }).expect(200);
    // The delete of regenerate works, then the store stops taking writes.
    probed.beforeCall = (method) => {
      if (method === 'set') probed.failWrites = true;
    };
    const login = await agent.post('/login').type('form').send({ user: 'ada' });
    expect(login.status).toBe(503);
    expect(login.headers['set-cookie']).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The cart's, then the failed one (the old ID's `rotated` tombstone, written first).
    expect(probed.writes.set + probed.bookkeeping).toBe(2);
    expect(probed.writes.touch).toBe(0);
  });

  test('[17.6b] a healthy login is two session writes: the old session deleted, the new one created', async () => {
    const probed = probe(await open());
    const agent = request.agent(createApp(probed.store, SECRET));
    await agent.post('/cart').type('form').send({ sku: 'tea' }).expect(200);
    const before = { ...probed.writes };
    probed.bookkeeping = 0;
    await agent.post('/login').type('form').send({ user: 'ada' }).expect(302);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probed.writes.delete - before.delete).toBe(1);
    expect(probed.writes.set - before.set).toBe(1);
    expect(probed.writes.touch - before.touch).toBe(0);
    // And the old ID's `rotated` tombstone, for the miss reason of a request still holding it.
    expect(probed.bookkeeping).toBe(1);
    expect((await agent.get('/').expect(200)).body).toEqual({ user: 'ada', cart: [] });
  });

  test('the recipe refuses to start without a cookie secret', async () => {
    const store = await open();
    const saved = process.env.SESSION_SECRET;
    delete process.env.SESSION_SECRET;
    try {
      expect(() => createApp(store)).toThrow(/SESSION_SECRET/);
    } finally {
      if (saved !== undefined) process.env.SESSION_SECRET = saved;
    }
  });
}

// A store error at every place express-session calls the store: an error response (or, for
// the touch express-session makes after responding, an error reported to the app), no crash,
// no cookie for a session that was not stored, and the app serves again once the store does.
import type { SessionStore } from '@sessions/core';
import { isSessionError } from '@sessions/core';
import request from 'supertest';
import { expect, test } from 'vitest';
import { ExpressSessionStore } from '../../src/index.js';
import { closedAfterEach } from '../app.js';
import { probe } from '../store-probe.js';
import { compatApp } from './http-app.js';
import { sessionData, viaCallback } from './support.js';

export function storeErrorsCompat(makeStore: () => Promise<SessionStore>): void {
  const open = closedAfterEach(makeStore);

  /** An app with a session holding `a: 1`, and its probed store. */
  async function withSession(options: { guard?: boolean } = {}) {
    const probed = probe(await open());
    const built = compatApp(probed.store, options);
    const agent = request.agent(built.app);
    const { id } = (await agent.post('/set/a/1').expect(200)).body as { id: string };
    return { ...built, probed, agent, id };
  }

  const unavailable = (err: unknown) => isSessionError(err, 'UNAVAILABLE');

  test('load (get, in session()): 503, and the session is intact after', async () => {
    const { agent, probed, errors } = await withSession();
    probed.failReads = true;
    const res = await agent.get('/peek').expect(503);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(errors.every(unavailable)).toBe(true);
    probed.failReads = false;
    expect((await agent.get('/peek').expect(200)).body.session.a).toBe('1');
  });

  test('automatic save (set): 503 with the guard, no cookie, nothing written after', async () => {
    const { agent, probed } = await withSession();
    probed.failWrites = true;
    const res = await agent.post('/set/a/2').expect(503);
    expect(res.headers['set-cookie']).toBeUndefined();
    const writes = { ...probed.writes };
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probed.writes).toEqual(writes);
    probed.failWrites = false;
    expect((await agent.get('/peek').expect(200)).body.session.a).toBe('1');
  });

  test('explicit save (set): the save callback gets the error: 503', async () => {
    const { agent, probed } = await withSession({ guard: false });
    probed.failWrites = true;
    await agent.post('/save').expect(503);
  });

  test("touch at the end of a request: reported to the app's error handler, no crash", async () => {
    const { agent, probed, errors } = await withSession();
    probed.failWrites = true;
    await agent.get('/peek').expect(200); // express-session touches after the response
    for (let waited = 0; waited < 2000 && errors.length === 0; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(errors.length).toBe(1);
    expect(unavailable(errors[0])).toBe(true);
    expect(probed.writes.touch).toBeGreaterThan(0);
  });

  test('destroy: 503, and the session is still there', async () => {
    const { agent, probed } = await withSession();
    probed.failWrites = true;
    await agent.post('/destroy').expect(503);
    probed.failWrites = false;
    expect((await agent.get('/peek').expect(200)).body.session.a).toBe('1');
  });

  test('regenerate: 503 without a cookie; the old session stays usable', async () => {
    const { agent, probed, id } = await withSession();
    probed.failWrites = true;
    const res = await agent.post('/regenerate').expect(503);
    expect(res.headers['set-cookie']).toBeUndefined();
    probed.failWrites = false;
    const after = (await agent.get('/peek').expect(200)).body;
    expect(after).toMatchObject({ id, session: { a: '1' } });
  });

  test('reload: 503', async () => {
    const { agent, probed } = await withSession();
    let reads = 0;
    // The load at the start of the request works; the reload's read fails.
    probed.beforeCall = (method) => {
      if (method === 'get' && ++reads > 1) probed.failReads = true;
    };
    await agent.post('/reload').expect(503);
  });

  test('all, length and clear: the error reaches the callback and the promise', async () => {
    const probed = probe(await open());
    const adapter = new ExpressSessionStore({ store: probed.store });
    await adapter.set('sid-1', sessionData());
    probed.failReads = true;
    probed.failWrites = true;
    for (const [err] of [
      await viaCallback((cb) => adapter.all(cb)),
      await viaCallback((cb) => adapter.length(cb)),
      await viaCallback((cb) => adapter.clear(cb)),
      await viaCallback((cb) => adapter.get('sid-1', cb)),
      await viaCallback((cb) => adapter.set('sid-1', sessionData(), cb)),
      await viaCallback((cb) => adapter.destroy('sid-1', cb)),
    ]) {
      expect(unavailable(err)).toBe(true);
    }
    await expect(adapter.all()).rejects.toSatisfy(unavailable);
    await expect(adapter.length()).rejects.toSatisfy(unavailable);
    await expect(adapter.clear()).rejects.toSatisfy(unavailable);
    probed.failReads = false;
    probed.failWrites = false;
    expect(await adapter.length()).toBe(1);
  });
}

// saveBeforeResponse() (issue 17, item 6): a naive app loses nothing silently over real HTTP.
import type { SessionStore } from '@sessions/core';
import { expect, test } from 'vitest';
import { closedAfterEach, sidFromCookie } from './app.js';
import { Client, startNaiveApp } from './naive-app.js';
import { probe, totalWrites } from './store-probe.js';

type MakeStore = () => Promise<SessionStore>;

/** The stored session of a client, as the store holds it. */
async function stored(
  store: SessionStore,
  adapter: { keyOf(sid: string): string },
  client: Client,
) {
  const record = await store.get(adapter.keyOf(sidFromCookie(client.cookie)));
  return record?.data as { count?: number; items?: string[]; userId?: string } | undefined;
}

export function saveBeforeResponseScenarios(makeStore: MakeStore): void {
  const open = closedAfterEach(makeStore);

  test('[17.6] 200 concurrent increments: every 200 is counted, the others are 409s', async () => {
    const store = await open();
    const { url, adapter } = await startNaiveApp(store);
    const client = new Client(url);
    expect((await client.send('POST', '/login/ada')).status).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => client.send('POST', '/count')),
    );
    const statuses = results.map((r) => r.status);
    const ok = statuses.filter((s) => s === 200).length;
    // 409: lost the compare-and-set. 503: a store overwhelmed by the burst timed out; its
    // write may still have landed, so it may count, but no 200 may be missing.
    const timedOut = statuses.filter((s) => s === 503).length;
    expect(statuses.filter((s) => s !== 200 && s !== 409 && s !== 503)).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    const count = (await stored(store, adapter, client))?.count ?? 0;
    expect(count).toBeGreaterThanOrEqual(ok);
    expect(count).toBeLessThanOrEqual(ok + timedOut);
  });

  test('[17.6] parallel cart adds: each item answered 200 is in the cart', async () => {
    const store = await open();
    const { url, adapter } = await startNaiveApp(store);
    for (let round = 0; round < 10; round++) {
      const client = new Client(url);
      await client.send('POST', '/login/ada');
      const [tea, jam] = await Promise.all([
        client.send('POST', '/add/tea'),
        client.send('POST', '/add/jam'),
      ]);
      const answered = [tea, jam].filter((r) => r.status === 200).length;
      expect([tea.status, jam.status].every((s) => s === 200 || s === 409)).toBe(true);
      const items = (await stored(store, adapter, client))?.items ?? [];
      expect(items).toHaveLength(answered);
      if (tea.status === 200) expect(items).toContain('tea');
      if (jam.status === 200) expect(items).toContain('jam');
    }
  });

  test('[17.6] a slow request finishing after logout is a 409; the session stays gone', async () => {
    const store = await open();
    const { url, adapter, parked, release } = await startNaiveApp(store);
    const client = new Client(url);
    await client.send('POST', '/login/ada');
    const key = adapter.keyOf(sidFromCookie(client.cookie));
    const slow = client.send('POST', '/slow-add/tea');
    await parked;
    expect((await client.send('POST', '/logout')).status).toBe(200);
    release();
    const late = await slow;
    expect(late.status).toBe(409);
    expect(late.setCookie).toEqual([]);
    expect(await store.get(key)).toBeUndefined();
  });

  test('[17.6] a session too large for the store is a 500, and nothing is stored', async () => {
    const store = await open();
    const { url, adapter } = await startNaiveApp(store);
    const client = new Client(url);
    await client.send('POST', '/login/ada');
    const res = await client.send('POST', `/blob/${2 * 1024 * 1024}`);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: 'TOO_LARGE' });
    expect(res.setCookie).toEqual([]);
    expect((await stored(store, adapter, client))?.userId).toBe('ada');
  });

  test('[17.6] a BigInt in the session is a 500 (SERIALIZE), not a hung request', async () => {
    const store = await open();
    const { url } = await startNaiveApp(store);
    const client = new Client(url);
    await client.send('POST', '/login/ada');
    const res = await client.send('POST', '/bigint');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: 'SERIALIZE' });
    expect(JSON.parse((await client.send('GET', '/me')).body).userId).toBe('ada');
  });

  test('[17.6] a new session whose first save fails gets no cookie', async () => {
    const store = await open();
    const { url } = await startNaiveApp(store);
    const client = new Client(url);
    const res = await client.send('POST', '/bigint');
    expect(res.status).toBe(500);
    expect(res.setCookie).toEqual([]);
  });

  test('[17.6] HEAD: the change is saved before the head goes out; a conflict is a 409', async () => {
    const store = await open();
    const { url, adapter, parked, release } = await startNaiveApp(store);
    const client = new Client(url);
    await client.send('POST', '/login/ada');
    expect((await client.send('HEAD', '/mark-head')).status).toBe(204);
    expect((await stored(store, adapter, client))?.userId).toBe('head');
    const slow = client.send('POST', '/slow-add/tea');
    await parked;
    await client.send('POST', '/add/jam'); // wins: the slow one now saves over an old version
    release();
    expect((await slow).status).toBe(409);
    await client.send('POST', '/slow-add/x'); // the gate is open now
    expect((await client.send('HEAD', '/mark-head')).status).toBe(204);
  });

  test('[17.6] a streamed response waits for the save, then streams as written', async () => {
    const store = await open();
    const { url, adapter } = await startNaiveApp(store);
    const client = new Client(url);
    await client.send('POST', '/login/ada');
    const res = await client.send('POST', '/stream/tea');
    expect(res).toMatchObject({ status: 200, body: 'first,last' });
    expect((await stored(store, adapter, client))?.items).toEqual(['tea']);
  });

  test('[17.6] a streamed response whose save conflicts is a 409, without the stream', async () => {
    const store = await open();
    const { url, adapter, parked, release } = await startNaiveApp(store);
    const client = new Client(url);
    await client.send('POST', '/login/ada');
    const key = adapter.keyOf(sidFromCookie(client.cookie));
    const streamed = client.send('POST', '/stream/tea?park');
    await parked;
    expect((await client.send('POST', '/logout')).status).toBe(200);
    release();
    const res = await streamed;
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body)).toEqual({ error: 'CONFLICT' });
    expect(res.setCookie).toEqual([]);
    expect(await store.get(key)).toBeUndefined();
    // The server goes on serving: the rest of that stream was ignored, not written anywhere.
    const fresh = new Client(url);
    expect((await fresh.send('POST', '/stream/jam')).body).toBe('first,last');
  });

  test('[17.6] unchanged requests are not held and write nothing', async () => {
    const store = await open();
    const { url, adapter } = await startNaiveApp(store);
    const client = new Client(url);
    await client.send('POST', '/login/ada');
    const key = adapter.keyOf(sidFromCookie(client.cookie));
    const before = (await store.get(key))?.version;
    const reads = await Promise.all(Array.from({ length: 20 }, () => client.send('GET', '/me')));
    expect(reads.every((r) => r.status === 200)).toBe(true);
    expect((await store.get(key))?.version).toBe(before);
  });

  test('a request still holding the cookie a login rotated away never replaces the new one', async () => {
    const store = await open();
    const { url, adapter } = await startNaiveApp(store, { saveUninitialized: true });
    const browser = new Client(url);
    await browser.send('POST', '/add/tea');
    // Requests the browser sent before the login's answer came back: they carry the old cookie.
    const inFlight = new Client(url);
    inFlight.cookie = browser.cookie;
    expect((await browser.send('POST', '/relogin/ada')).status).toBe(200);
    const before = (await store.list?.())?.length;

    const read = await inFlight.send('GET', '/me');
    expect(read.status).toBe(200);
    expect(read.setCookie).toEqual([]); // with saveUninitialized, it would be a new, anonymous one
    const change = await inFlight.send('POST', '/add/jam');
    expect(change.status).toBe(409);
    expect(change.setCookie).toEqual([]);
    expect((await store.list?.())?.length).toBe(before); // nothing stored for either

    expect(JSON.parse((await browser.send('GET', '/me')).body)).toEqual({
      userId: 'ada',
      items: [],
    });
    // A login of its own still works: its session is a new one, stored and sent.
    expect((await inFlight.send('POST', '/relogin/bob')).status).toBe(200);
    expect((await stored(store, adapter, inFlight))?.userId).toBe('bob');
  });

  for (const options of [{ rolling: true }, { resave: true }, { saveUninitialized: true }]) {
    test(`[17.6] with ${JSON.stringify(options)}: a change is one write, made before the response`, async () => {
      const probed = probe(await open());
      const { url, adapter } = await startNaiveApp(probed.store, options);
      const client = new Client(url);
      await client.send('POST', '/login/ada');
      const key = adapter.keyOf(sidFromCookie(client.cookie));
      const before = totalWrites(probed);
      probed.failWrites = true;
      expect((await client.send('POST', '/add/tea')).status).toBe(503);
      probed.failWrites = false;
      const res = await client.send('POST', '/add/jam');
      expect(res.status).toBe(200);
      expect((await probed.store.get(key))?.data.items).toEqual(['jam']);
      expect(totalWrites(probed) - before).toBe(2); // the failed one, then the one that worked
    });
  }
}

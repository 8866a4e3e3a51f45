// The adapter's public types (issue 18, item 7): no `any`; a callback gives void, none a Promise.
import { MemoryStore } from '@sessions/core';
import type { SessionData } from 'express-session';
import { expect, expectTypeOf, test } from 'vitest';
import { ExpressSessionStore } from '../src/index.js';

test('[18.7] every method: with a callback it returns void, without one a typed Promise', async () => {
  const adapter = new ExpressSessionStore({ store: new MemoryStore() });
  const sess = { cookie: { originalMaxAge: null } } as unknown as SessionData;
  const noop = () => {};

  expectTypeOf(adapter.get('sid', noop)).toEqualTypeOf<void>();
  expectTypeOf(adapter.set('sid', sess, noop)).toEqualTypeOf<void>();
  expectTypeOf(adapter.touch('sid', sess, noop)).toEqualTypeOf<void>();
  expectTypeOf(adapter.destroy('sid', noop)).toEqualTypeOf<void>();
  expectTypeOf(adapter.all(noop)).toEqualTypeOf<void>();
  expectTypeOf(adapter.length(noop)).toEqualTypeOf<void>();
  expectTypeOf(adapter.clear(noop)).toEqualTypeOf<void>();

  const set = adapter.set('sid', sess);
  expectTypeOf(set).toEqualTypeOf<Promise<void>>();
  await set;
  const got = adapter.get('sid');
  expectTypeOf(got).toEqualTypeOf<Promise<SessionData | null>>();
  expect(await got).toMatchObject({ cookie: {} });
  expectTypeOf(adapter.touch('sid', sess)).toEqualTypeOf<Promise<void>>();
  expectTypeOf(adapter.all()).toEqualTypeOf<Promise<SessionData[]>>();
  expectTypeOf(adapter.length()).toEqualTypeOf<Promise<number>>();
  expectTypeOf(adapter.destroy('sid')).toEqualTypeOf<Promise<void>>();
  expectTypeOf(adapter.clear()).toEqualTypeOf<Promise<void>>();

  // The callbacks' values are typed too, not `any`.
  adapter.get('sid', (err, value) => {
    expectTypeOf(value).toEqualTypeOf<SessionData | null | undefined>();
    expectTypeOf(err).toBeUnknown();
  });
  adapter.length((_err, count) => expectTypeOf(count).toEqualTypeOf<number | undefined>());
  await adapter.store.close();
});

// Lifecycle events: which operation emits what, that no event carries a token, and that a
// listener that throws (or rejects) never reaches the request.
import { describe, expect, it } from 'vitest';
import {
  generateSessionToken,
  type SessionEvent,
  type SessionManager,
  UnavailableError,
} from '../../src/index.js';
import { MINUTE, overrideStore, setup } from './helpers.js';

function record(manager: SessionManager<unknown>): SessionEvent[] {
  const events: SessionEvent[] = [];
  for (const type of [
    'created',
    'loaded',
    'saved',
    'conflict',
    'rotated',
    'destroyed',
    'revoked',
    'miss',
    'store-error',
  ] as const) {
    manager.on(type, (event) => events.push(event));
  }
  return events;
}

describe('lifecycle events', () => {
  it('create, load, save, rotate, destroy, miss: in order, and never a token', async () => {
    const { manager, clock } = setup();
    const events = record(manager);
    const session = manager.create({ data: { n: 1 } });
    await manager.save(session);
    const loaded = (await manager.load(session.token))!;
    loaded.data.n = 2;
    await manager.save(loaded);
    const next = (await manager.regenerate(loaded, { userId: 'u1' }))!;
    await manager.load(session.token);
    clock.advance(MINUTE);
    await manager.destroy(next);
    expect(events.map((e) => e.type)).toEqual([
      'saved',
      'created',
      'loaded',
      'saved',
      'saved', // the successor's write
      'rotated',
      'miss',
      'destroyed',
    ]);
    expect(events[1]).toEqual({ type: 'created', handle: session.handle, userId: undefined });
    expect(events[5]).toEqual({
      type: 'rotated',
      handle: next.handle,
      previousHandle: session.handle,
      userId: 'u1',
    });
    expect(events[6]).toEqual({ type: 'miss', reason: 'rotated', handle: session.handle });
    expect(events[7]).toEqual({ type: 'destroyed', handle: next.handle, userId: 'u1' });
    const text = JSON.stringify(events);
    expect(text).not.toContain(session.token);
    expect(text).not.toContain(next.token);
  });

  it('revoked, for one handle and for "log out everywhere"', async () => {
    const { manager, clock } = setup();
    const events = record(manager);
    const a = manager.create({ data: {}, userId: 'u1' });
    const b = manager.create({ data: {}, userId: 'u1' });
    const c = manager.create({ data: {}, userId: 'u1' });
    for (const s of [a, b, c]) await manager.save(s);
    events.length = 0;
    await manager.revoke('u1', b.handle);
    clock.advance(MINUTE);
    await manager.destroyAllForUser('u1', { except: a });
    expect(events).toEqual([
      { type: 'revoked', userId: 'u1', scope: 'one', count: 1, handle: b.handle },
      { type: 'revoked', userId: 'u1', scope: 'all', count: 1, except: a.handle },
    ]);
  });

  it('conflict, on a save that lost and on each lost attempt of update', async () => {
    const { manager } = setup();
    const events = record(manager);
    const session = manager.create({ data: { n: 0 } });
    await manager.save(session);
    const first = (await manager.load(session.token))!;
    const second = (await manager.load(session.token))!;
    first.data.n = 1;
    second.data.n = 2;
    await manager.save(first);
    await expect(manager.save(second)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(events.filter((e) => e.type === 'conflict')).toEqual([
      { type: 'conflict', handle: session.handle, userId: undefined, operation: 'save' },
    ]);
  });

  it('conflict, for each update attempt that lost its compare-and-set', async () => {
    const { manager } = setup<{ n: number }>({ maxRetries: 50, retryDelay: 1 });
    const conflicts: string[] = [];
    manager.on('conflict', (event) => conflicts.push(event.operation));
    const session = manager.create({ data: { n: 0 } });
    await manager.save(session);
    let first = true;
    // The first attempt is overtaken by another writer between its load and its save.
    const result = await manager.update(session.token, async (data) => {
      if (first) {
        first = false;
        await manager.update(session.token, (d) => {
          d.n += 10;
        });
      }
      data.n += 1;
    });
    expect(result.session?.data).toEqual({ n: 11 });
    expect(conflicts).toEqual(['update']);
  });

  it('store-error and a store-unavailable miss when the store is down; the error still throws', async () => {
    const down = new UnavailableError('@sessions/test', 'down (test)');
    const { manager } = setup({}, (store) =>
      overrideStore(store, {
        get: async () => {
          throw down;
        },
      }),
    );
    const events = record(manager);
    await expect(manager.load(generateSessionToken())).rejects.toBe(down);
    expect(events.map((e) => e.type)).toEqual(['store-error', 'miss']);
    expect(events[0]).toEqual({ type: 'store-error', operation: 'get', error: down });
    expect(events[1]).toMatchObject({ type: 'miss', reason: 'store-unavailable' });
  });

  it('off, and the unsubscribe function, stop a listener', async () => {
    const { manager } = setup();
    let count = 0;
    const listener = () => {
      count += 1;
    };
    const stop = manager.on('miss', listener);
    await manager.load(undefined);
    stop();
    await manager.load(undefined);
    manager.on('miss', listener);
    manager.off('miss', listener);
    await manager.load(undefined);
    expect(count).toBe(1);
  });

  it('listeners can be given in the options', async () => {
    const reasons: string[] = [];
    const { manager } = setup({ on: { miss: (event) => reasons.push(event.reason) } });
    await manager.load('not a token');
    expect(reasons).toEqual(['malformed']);
  });
});

describe('a listener that fails', () => {
  it('throwing or rejecting is reported to onListenerError, never to the request', async () => {
    const reported: Array<[unknown, string]> = [];
    const { manager } = setup({
      onListenerError: (error, event) => reported.push([error, event.type]),
    });
    const boom = new Error('listener bug');
    manager.on('created', () => {
      throw boom;
    });
    manager.on('saved', async () => {
      throw boom;
    });
    let after = 0;
    manager.on('created', () => {
      after += 1; // a later listener still runs
    });
    const session = manager.create({ data: {} });
    expect(await manager.save(session)).toEqual({ status: 'saved' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(after).toBe(1);
    expect(reported).toHaveLength(2);
    expect(reported).toContainEqual([boom, 'created']);
    expect(reported).toContainEqual([boom, 'saved']);
  });

  it('without onListenerError, becomes a process warning, at most one a minute', async () => {
    const { manager } = setup();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      manager.on('miss', () => {
        throw new Error('listener bug');
      });
      for (let i = 0; i < 5; i++) expect(await manager.load(undefined)).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('"miss" session event listener threw: listener bug');
    expect((warnings[0] as Error & { code?: string }).code).toBe('SESSIONS_LISTENER_ERROR');
  });
});

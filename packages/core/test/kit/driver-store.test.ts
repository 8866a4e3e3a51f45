// The shell the kit puts around every driver: what reaches the driver, in what shape, and what
// the caller gets back, proved with a scripted driver (no backend).
import { describe, expect, test } from 'vitest';
import { isSessionError } from '../../src/errors.js';
import { CONFLICT, more, type RecordWrite } from '../../src/kit/index.js';
import { rejection, scriptedDriver, storeOn } from './scripted-driver.js';

const NOW = 1_700_000_000_000;
const clock = () => NOW;

describe('validation and the closed guard', () => {
  test('bad input is refused before the driver is called, as a rejection', async () => {
    const driver = scriptedDriver();
    const store = storeOn(driver, { clock });
    const bad = [
      () => store.get('bad key'),
      () => store.set('k', { data: undefined, expiresAt: NOW + 1 }),
      () => store.set('k', { data: 1, expiresAt: 1.5 }),
      () => store.set('k', { data: 1, expiresAt: NOW + 1 }, { ifVersion: -1 }),
      () => store.touch('k', Number.NaN),
      () => store.delete(''),
      () => store.listByUser('a\u0000b'),
      () => store.deleteByUser('u', { except: 'x y' }),
    ];
    for (const call of bad) {
      const err = await rejection(call());
      expect(isSessionError(err, 'INVALID_KEY') || isSessionError(err, 'INVALID_RECORD')).toBe(
        true,
      );
    }
    expect(driver.calls).toEqual([]);
  });

  test('after close() every method rejects with CLOSED; the driver closes once', async () => {
    const driver = scriptedDriver();
    const store = storeOn(driver);
    await store.close();
    await store.close();
    expect(driver.calls).toEqual(['close']);
    for (const call of [
      () => store.get('k'),
      () => store.set('k', { data: 1, expiresAt: Date.now() + 1000 }),
      () => store.touch('k', Date.now() + 1000),
      () => store.delete('k'),
      () => store.listByUser('u'),
      () => store.deleteByUser('u'),
      () => store.list(),
      () => store.clear(),
      () => store.extra(() => 1),
    ]) {
      expect(isSessionError(await rejection(call()), 'CLOSED')).toBe(true);
    }
    expect(store.closed).toBe(true);
  });
});

describe('what the driver receives', () => {
  test('set gets the encoded data, the owner, ifVersion and the clock as op.now', async () => {
    let seen: RecordWrite | undefined;
    const driver = scriptedDriver({
      set: (write, op) => {
        seen = write;
        expect(op.now).toBe(NOW);
        return 3;
      },
    });
    const store = storeOn(driver, { clock });
    const result = await store.set(
      'k',
      { data: { a: [1] }, expiresAt: NOW + 10, userId: 'u', version: 99 },
      { ifVersion: 2 },
    );
    expect(result).toEqual({ version: 3 });
    expect(seen).toEqual({
      key: 'k',
      data: '{"a":[1]}',
      expiresAt: NOW + 10,
      userId: 'u',
      ifVersion: 2,
    });
  });

  test('a set in the past is a conditional delete, resolving { version: 0 }', async () => {
    const deletes: unknown[] = [];
    const driver = scriptedDriver({
      delete: (key, ifVersion) => {
        deletes.push([key, ifVersion]);
        return ifVersion === 5 ? CONFLICT : true;
      },
    });
    const store = storeOn(driver, { clock });
    await expect(store.set('k', { data: 1, expiresAt: NOW })).resolves.toEqual({ version: 0 });
    await expect(
      store.set('k', { data: 1, expiresAt: NOW - 1 }, { ifVersion: 0 }),
    ).resolves.toEqual({
      version: 0,
    });
    expect(
      isSessionError(
        await rejection(store.set('k', { data: 1, expiresAt: 0 }, { ifVersion: 5 })),
        'CONFLICT',
      ),
    ).toBe(true);
    expect(deletes).toEqual([
      ['k', undefined],
      ['k', 0],
      ['k', 5],
    ]);
    expect(driver.calls).not.toContain('set');
  });

  test('CONFLICT from set is a ConflictError', async () => {
    const store = storeOn(scriptedDriver({ set: () => CONFLICT }), { clock });
    const err = await rejection(store.set('k', { data: 1, expiresAt: NOW + 1 }, { ifVersion: 1 }));
    expect(isSessionError(err, 'CONFLICT')).toBe(true);
  });

  test('a touch into the past is a delete of the live record; a touch ahead moves it', async () => {
    const driver = scriptedDriver({ delete: () => true, touch: () => true });
    const store = storeOn(driver, { clock });
    await expect(store.touch('k', NOW)).resolves.toBe(true);
    await expect(store.touch('k', NOW + 1)).resolves.toBe(true);
    expect(driver.calls).toEqual(['delete', 'touch']);
  });
});

describe('what the caller gets back', () => {
  test('only live records, by the application clock, decoded fresh each time', async () => {
    const rows: Record<string, unknown> = {
      live: { data: '{"n":1}', expiresAt: NOW + 1, version: 2, userId: null },
      edge: { data: '{"n":2}', expiresAt: NOW, version: 1 },
    };
    const store = storeOn(scriptedDriver({ get: (key) => rows[key] as never }), { clock });
    const first = await store.get('live');
    expect(first).toEqual({ data: { n: 1 }, expiresAt: NOW + 1, version: 2 });
    expect(await store.get('edge')).toBeUndefined();
    expect(await store.get('none')).toBeUndefined();
    expect(await store.get('live')).not.toBe(first);
  });

  test('a stored field of the wrong type, or data that does not decode, is CORRUPT', async () => {
    const rows: Record<string, unknown> = {
      nan: { data: '{}', expiresAt: Number.NaN, version: 1 },
      date: { data: '{}', expiresAt: new Date(NOW + 1), version: 1 },
      v0: { data: '{}', expiresAt: NOW + 1, version: 0 },
      owner: { data: '{}', expiresAt: NOW + 1, version: 1, userId: 7 },
      bytes: { data: Buffer.from('{}'), expiresAt: NOW + 1, version: 1 },
      json: { data: '{"a":', expiresAt: NOW + 1, version: 1 },
    };
    const store = storeOn(scriptedDriver({ get: (key) => rows[key] as never }), { clock });
    for (const key of Object.keys(rows)) {
      const err = await rejection(store.get(key));
      expect(isSessionError(err, 'CORRUPT'), key).toBe(true);
      expect(err.message).toContain(`"${key}"`);
    }
  });

  test('listByUser keeps the live records the user still owns (an index may lag)', async () => {
    const entry = (key: string, userId: string | null, expiresAt = NOW + 1) => ({
      key,
      data: '1',
      expiresAt,
      version: 1,
      userId,
    });
    const driver = scriptedDriver({
      listByUser: () => [
        entry('a', 'u'),
        entry('b', 'other'),
        entry('c', 'u', NOW),
        entry('d', null),
      ],
      list: () => [entry('a', 'u'), entry('c', 'u', NOW), entry('d', null)],
    });
    const store = storeOn(driver, { clock });
    expect((await store.listByUser('u')).map((s) => s.key)).toEqual(['a']);
    expect((await store.list()).map((s) => s.key)).toEqual(['a', 'd']);
  });
});

describe('bulk operations, page by page', () => {
  test('pages are gathered and each gets its own operation; the clock is read once', async () => {
    let reads = 0;
    const pages = [
      [{ key: 'a', data: '1', expiresAt: NOW + 1, version: 1, userId: 'u' }],
      [{ key: 'b', data: '2', expiresAt: NOW + 1, version: 1, userId: 'u' }],
    ];
    const driver = scriptedDriver({
      listByUser: (_userId, _op, cursor) => {
        const i = (cursor as number | undefined) ?? 0;
        const page = pages[i] ?? [];
        return i + 1 < pages.length ? more(page, i + 1) : page;
      },
      deleteByUser: (_u, _e, _op, cursor) => (cursor === undefined ? more(2, 'x') : 3),
      clear: (_op, cursor) => (cursor === undefined ? more(undefined, 1) : undefined),
    });
    const store = storeOn(driver, {
      clock: () => {
        reads++;
        return NOW;
      },
    });
    expect((await store.listByUser('u')).map((s) => s.key)).toEqual(['a', 'b']);
    expect(reads).toBe(1);
    expect(await store.deleteByUser('u')).toBe(5);
    await store.clear();
    expect(driver.calls.filter((c) => c === 'clear')).toHaveLength(2);
    const ops = driver.ops.filter((op) => op.name === 'listByUser');
    expect(ops).toHaveLength(2);
    expect(ops[0]).not.toBe(ops[1]);
  });
});

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateSessionToken, hashSessionToken, isSessionError } from '../../src/index.js';
import { countingStore, MINUTE, overrideStore, setup } from './helpers.js';

describe('create, load, save', () => {
  it('create mints a token and stores nothing until save', async () => {
    const { manager, store } = setup();
    const session = manager.create({ data: { n: 1 }, userId: 'u1', meta: { device: 'laptop' } });
    expect(session.isNew).toBe(true);
    expect(session.token).toHaveLength(43);
    expect(await store.get(hashSessionToken(session.token))).toBeUndefined();
    expect(await manager.save(session)).toEqual({ status: 'saved' });
    expect(session.isNew).toBe(false);
    const loaded = await manager.load(session.token);
    expect(loaded).toMatchObject({
      data: { n: 1 },
      userId: 'u1',
      meta: { device: 'laptop' },
      createdAt: session.createdAt,
      isNew: false,
      changed: false,
    });
  });

  it('stores the envelope { data, createdAt, lastSeenAt, meta } under the SHA-256 of the token', async () => {
    const { manager, store, clock } = setup();
    const session = manager.create({ data: { n: 1 }, meta: { ua: 'test' } });
    await manager.save(session);
    const record = await store.get(hashSessionToken(session.token));
    expect(record).toEqual({
      data: { data: { n: 1 }, createdAt: clock.now, lastSeenAt: clock.now, meta: { ua: 'test' } },
      expiresAt: clock.now + 30 * MINUTE,
      version: 1,
    });
    expect(await store.get(session.token)).toBeUndefined();
  });

  it('tracks changes by comparison: in-place mutation, replacement, userId and meta', async () => {
    const { manager } = setup<{ list: number[] }>();
    const created = manager.create({ data: { list: [1] } });
    await manager.save(created);
    const session = (await manager.load(created.token))!;
    expect(session.changed).toBe(false);
    session.data.list.push(2);
    expect(session.changed).toBe(true);
    session.data.list.pop();
    expect(session.changed).toBe(false);
    session.data = { list: [1] };
    expect(session.changed).toBe(false);
    session.userId = 'u1';
    expect(session.changed).toBe(true);
    session.userId = undefined;
    session.meta = { device: 'phone' };
    expect(session.changed).toBe(true);
  });

  it('an unchanged session is not written within touchAfter, and is written (lastSeenAt moved) after it', async () => {
    let counter: ReturnType<typeof countingStore> | undefined;
    const { manager, clock, store } = setup({ touchAfter: MINUTE }, (inner) => {
      counter = countingStore(inner);
      return counter.store;
    });
    const session = manager.create({ data: { n: 1 } });
    await manager.save(session);
    const key = hashSessionToken(session.token);
    expect(counter?.calls.get('set')).toBe(1);

    clock.advance(MINUTE);
    const early = (await manager.load(session.token))!;
    expect(await manager.save(early)).toEqual({ status: 'unchanged' });
    expect(counter?.calls.get('set')).toBe(1);
    expect(counter?.calls.get('touch')).toBeUndefined();

    clock.advance(1);
    const due = (await manager.load(session.token))!;
    expect(await manager.save(due)).toEqual({ status: 'saved' });
    expect(counter?.calls.get('set')).toBe(2);
    const record = await store.get(key);
    expect(record?.version).toBe(2);
    expect(record?.data).toMatchObject({ lastSeenAt: clock.now, createdAt: session.createdAt });
    expect(record?.expiresAt).toBe(clock.now + 30 * MINUTE);
    expect(due.lastSeenAt).toBe(clock.now);
  });

  it('a changed session is written at once, whatever touchAfter says', async () => {
    const { manager, store } = setup({ touchAfter: 10 * MINUTE });
    const session = manager.create({ data: { n: 1 } });
    await manager.save(session);
    session.data.n = 2;
    expect(await manager.save(session)).toEqual({ status: 'saved' });
    expect((await store.get(hashSessionToken(session.token)))?.data).toMatchObject({
      data: { n: 2 },
    });
    expect(await manager.save(session)).toEqual({ status: 'unchanged' });
  });
});

describe('strict mode and fixation', () => {
  it('a presented unknown token yields a fresh one, and nothing is stored under it or its hash', async () => {
    const { manager, store, dump } = setup();
    const attacker = generateSessionToken();
    expect(await manager.load(attacker)).toBeUndefined();
    const session = manager.create({ data: { n: 1 } });
    await manager.save(session);
    expect(session.token).not.toBe(attacker);
    expect(await store.get(attacker)).toBeUndefined();
    expect(await store.get(hashSessionToken(attacker))).toBeUndefined();
    expect(dump()).not.toContain(attacker);
    expect(dump()).not.toContain(hashSessionToken(attacker));
  });

  it('a malformed token never reaches the store', async () => {
    let counter: ReturnType<typeof countingStore> | undefined;
    const { manager } = setup({}, (inner) => {
      counter = countingStore(inner);
      return counter.store;
    });
    for (const token of ['', 'x', 'A'.repeat(44), '../../etc', '__proto__', `${'A'.repeat(42)}B`]) {
      expect(await manager.load(token)).toBeUndefined();
      expect(await manager.destroy(token)).toBe(false);
      expect(await manager.update(token, () => undefined)).toEqual({ status: 'destroyed' });
    }
    expect(await manager.load(undefined)).toBeUndefined();
    expect(counter?.calls.size).toBe(0);
    // A well-formed unknown token does reach the store, and is a miss there.
    expect(await manager.load(generateSessionToken())).toBeUndefined();
    expect(counter?.calls.get('get')).toBe(1);
  });

  it('a record that is not a manager envelope is reported as CORRUPT, not as a miss', async () => {
    const { manager, store } = setup();
    const token = generateSessionToken();
    await store.set(hashSessionToken(token), { data: { n: 1 }, expiresAt: Date.now() + MINUTE });
    await expect(manager.load(token)).rejects.toSatisfy((err) => isSessionError(err, 'CORRUPT'));
  });

  it('refuses a session made by another manager', async () => {
    const a = setup();
    const b = setup();
    const session = a.manager.create({ data: {} });
    await expect(b.manager.save(session)).rejects.toThrow(TypeError);
  });
});

describe('the token stays secret', () => {
  it('is not in JSON.stringify or util.inspect of a session', async () => {
    const { manager } = setup();
    const session = manager.create({ data: { n: 1 }, userId: 'u1' });
    await manager.save(session);
    expect(JSON.stringify(session)).not.toContain(session.token);
    expect(inspect(session, { showHidden: true, depth: 10 })).not.toContain(session.token);
    expect(Object.keys(session)).not.toContain('token');
    expect(JSON.parse(JSON.stringify(session))).toMatchObject({
      handle: session.handle,
      data: { n: 1 },
    });
  });

  it('is not in the message of a store error, even with hashing off', async () => {
    const { manager } = setup({ hashTokens: false }, (store) =>
      overrideStore(store, {
        get: async (key: string) => {
          throw new Error(`backend refused GET ${key}`);
        },
      }),
    );
    const token = generateSessionToken();
    const err = await manager.load(token).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('[token]');
    expect((err as Error).message).not.toContain(token);
    expect((err as Error).stack).not.toContain(token);
  });

  it('is not in a serialize error when the data cannot be stored', async () => {
    const { manager } = setup<{ f?: () => void }>();
    const session = manager.create({ data: { f: () => undefined } });
    const err = await manager.save(session).catch((e: Error) => e);
    expect(isSessionError(err, 'SERIALIZE')).toBe(true);
    expect(String((err as Error).stack)).not.toContain(session.token);
  });
});

// LoadedVersions, ownerLookup and the adapter options.
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SESSION_TTL,
  LoadedVersions,
  ownerLookup,
  resolveAdapterOptions,
} from '../../src/adapter/index.js';
import { MemoryStore } from '../../src/index.js';

describe('LoadedVersions', () => {
  test('answers for the ID an object was loaded under, and no other', () => {
    const loaded = new LoadedVersions();
    const session = {};
    loaded.remember(session, 'sid-1', 'key-1', 3);
    expect(loaded.versionFor(session, 'sid-1')).toBe(3);
    expect(loaded.versionFor(session, 'sid-2')).toBeUndefined();
    expect(loaded.versionFor({}, 'sid-1')).toBeUndefined();
  });

  test('a save moves the object to its new version (and ID)', () => {
    const loaded = new LoadedVersions();
    const session = {};
    loaded.remember(session, 'sid-1', 'key-1', 3);
    loaded.remember(session, 'sid-2', 'key-2', 1);
    expect(loaded.versionFor(session, 'sid-1')).toBeUndefined();
    expect(loaded.versionFor(session, 'sid-2')).toBe(1);
  });

  test('adopt: an object built from a loaded one inherits its origin, unless it has its own', () => {
    const loaded = new LoadedVersions();
    const plain = {};
    const built = {};
    const saved = {};
    loaded.remember(plain, 'sid-1', 'key-1', 3);
    loaded.remember(saved, 'sid-1', 'key-1', 5);
    loaded.adopt(plain, built);
    loaded.adopt(plain, saved);
    loaded.adopt({}, {}); // from an object never loaded: nothing
    expect(loaded.versionFor(built, 'sid-1')).toBe(3);
    expect(loaded.versionFor(saved, 'sid-1')).toBe(5);
  });

  test('a save of an adopted object moves only its own version; the key is kept', () => {
    const loaded = new LoadedVersions();
    const plain = {};
    const built = {};
    loaded.remember(plain, 'sid-1', 'key-1', 3);
    loaded.adopt(plain, built);
    loaded.remember(built, 'sid-1', 'key-1', 4);
    expect(loaded.versionFor(built, 'sid-1')).toBe(4);
    expect(loaded.versionFor(plain, 'sid-1')).toBe(3);
    expect(loaded.originOf(built, 'sid-1')).toEqual({
      id: 'sid-1',
      key: 'key-1',
      version: 4,
    });
    expect(loaded.originOf(built, 'sid-2')).toBeUndefined();
  });
});

describe('ownerLookup', () => {
  test('a field name (default userId) or a function; only non-empty strings are owners', () => {
    expect(ownerLookup()({ userId: 'u1' })).toBe('u1');
    expect(ownerLookup('account')({ account: 'a1', userId: 'u1' })).toBe('a1');
    expect(ownerLookup<{ user?: { id: unknown } }>((s) => s.user?.id)({ user: { id: 'u2' } })).toBe(
      'u2',
    );
    for (const session of [{}, { userId: '' }, { userId: 7 }, { userId: { id: 'u1' } }]) {
      expect(ownerLookup()(session)).toBeUndefined();
    }
  });

  test('anything else is a TypeError at construction', () => {
    expect(() => ownerLookup(42 as never)).toThrow(TypeError);
  });
});

describe('resolveAdapterOptions', () => {
  const store = new MemoryStore();

  test('defaults: 24 h, hashed IDs, Date.now', () => {
    const resolved = resolveAdapterOptions({ store });
    expect(resolved).toMatchObject({ store, defaultTtl: DEFAULT_SESSION_TTL, hashIds: true });
    expect(resolved.clock).toBe(Date.now);
    expect(DEFAULT_SESSION_TTL).toBe(86_400_000);
  });

  test('bad options fail at construction', () => {
    expect(() => resolveAdapterOptions({} as never)).toThrow(TypeError);
    expect(() => resolveAdapterOptions({ store: {} as never })).toThrow(TypeError);
    for (const defaultTtl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveAdapterOptions({ store, defaultTtl })).toThrow(RangeError);
    }
    expect(() => resolveAdapterOptions({ store, hashIds: 'no' as never })).toThrow(TypeError);
    expect(() => resolveAdapterOptions({ store, clock: 5 as never })).toThrow(TypeError);
  });
});

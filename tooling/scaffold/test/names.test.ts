import { describe, expect, it } from 'vitest';
import { pascalCase, RESERVED_NAMES, validateStoreName } from '../src/names.js';

const existing = ['core', 'conformance', 'redis', 'sqlite'];

describe('validateStoreName', () => {
  it.each(['postgres', 'cloudflare-kv', 'valkey8', 'ab', 'a'.repeat(40), 'd1-kv'])(
    'accepts %s',
    (name) => {
      expect(validateStoreName(name, existing)).toEqual({ ok: true, name });
    },
  );

  it.each([
    ['', /give the store a name/],
    ['a', /2 to 40 characters/],
    ['a'.repeat(41), /2 to 40 characters/],
    ['Postgres', /lowercase/],
    ['9lives', /starting with a letter/],
    ['cloud--kv', /single hyphens/],
    ['-kv', /lowercase/],
    ['kv-', /lowercase/],
    ['kv_store', /lowercase/],
    ['../evil', /lowercase/],
    ['a b', /lowercase/],
    ['postgres-store', /drop the "-store" suffix: the package is @sessions\/postgres/],
  ])('rejects %j', (name, reason) => {
    const check = validateStoreName(name, existing);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it('rejects a non-string', () => {
    expect(validateStoreName(undefined, existing).ok).toBe(false);
    expect(validateStoreName(42, existing).ok).toBe(false);
  });

  it.each(Object.keys(RESERVED_NAMES))('rejects the reserved name %s', (name) => {
    const check = validateStoreName(name, []);
    expect(check).toEqual({ ok: false, reason: `"${name}" is reserved: ${RESERVED_NAMES[name]}` });
  });

  it('rejects the name of an existing package, saying it is never overwritten', () => {
    expect(validateStoreName('redis', existing)).toEqual({
      ok: false,
      reason: 'packages/redis already exists; the scaffold never overwrites a package',
    });
  });
});

describe('pascalCase', () => {
  it.each([
    ['postgres', 'Postgres'],
    ['cloudflare-kv', 'CloudflareKv'],
    ['d1-kv2', 'D1Kv2'],
  ])('%s -> %s', (name, pascal) => {
    expect(pascalCase(name)).toBe(pascal);
  });
});

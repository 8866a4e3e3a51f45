// The scripts build keys and read headers from Lua expressions generated from the same
// constants as the TypeScript side (layout.ts, envelope.ts). Evaluated by a real Redis here, so
// the two readings of a key or a header can never drift apart unnoticed.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { formatEnvelope, luaHeader, parseEnvelope } from '../src/envelope.js';
import { KeyLayout, luaKeys } from '../src/layout.js';
import { LOCALS } from '../src/scripts.js';

const url = inject('redisUrl');

describe.skipIf(!url)('Lua and TypeScript agree (redis-server)', () => {
  const raw = new Redis(url as string);
  afterAll(async () => {
    await raw.del('lua-layout:header');
    await raw.quit();
  });

  test.each([
    ['shop', 16, 'abc', 'ann'],
    ['a.b:c-1', 1, 'k:x.y_z-0', 'user: {admin} "x" \\ 中😀'],
  ])('keys of namespace %s (%i buckets)', async (namespace, buckets, key, userId) => {
    const layout = new KeyLayout(namespace, buckets);
    const script = `${LOCALS}
local key = KEYS[1]
local tag = ${luaKeys.tagOf('key')}
return { tag, ${luaKeys.sessionOf('key')}, ${luaKeys.session('tag', 'ARGV[1]')}, ${luaKeys.userIndex('tag', 'ARGV[2]')} }`;
    const tag = layout.tagOf(key);
    expect(await raw.eval(script, 1, layout.sessionKey(key), key, userId)).toEqual([
      tag,
      key,
      layout.sessionKey(key),
      layout.userIndexKey(tag, userId),
    ]);
  });

  const texts = [
    formatEnvelope(1_795_683_744_797, 3, 'ada', '{"cart":[]}'),
    formatEnvelope(1, 1, undefined, ''),
    formatEnvelope(-5, 2 ** 53 - 1, '中'.repeat(256), 'x\ny'),
    formatEnvelope(2 ** 53 - 1, 10, 'u'.repeat(40), '{}'),
    'plain text',
    '1700000000000:3:ann\n{}',
    '0'.repeat(64),
    `${formatEnvelope(1, 1, 'a', '{}').slice(0, 30)}`,
  ];

  test.each(texts.map((text) => [JSON.stringify(text).slice(0, 40), text]))(
    'the header of %s, parsed and read',
    async (_name, text) => {
      const back = `if not e then return false end
return { string.format('%.0f', e), v, owner }`;
      const parsed = await raw.eval(`${LOCALS}\n${luaHeader.parse('ARGV[1]')}\n${back}`, 0, text);
      await raw.set('lua-layout:header', text);
      const read = await raw.eval(
        `${LOCALS}\n${luaHeader.read('KEYS[1]')}\n${back}`,
        1,
        'lua-layout:header',
      );
      const stored = parseEnvelope(text);
      if (stored.version === undefined) {
        expect([parsed, read]).toEqual([null, null]);
        return;
      }
      const expected = [
        String(stored.expiresAt),
        String(stored.version).padStart(16, '0'),
        stored.userId ?? '',
      ];
      expect(parsed).toEqual(expected);
      expect(read).toEqual(expected);
      const owner = `return ${luaHeader.ownerOf('ARGV[1]')}`;
      expect(await raw.eval(`${LOCALS}\n${owner}`, 0, text)).toBe(stored.userId ?? '');
    },
  );
});

// The codecs on their own: what they refuse, what they keep, and that decoding never
// pollutes a prototype. Stores wrap their errors (SERIALIZE / CORRUPT); see store-kit.test.ts.
import { describe, expect, test } from 'vitest';
import { jsonCodec, richCodec } from '../src/codec.js';

function circular(): Record<string, unknown> {
  const data: Record<string, unknown> = { a: 1 };
  data.self = { back: data };
  return data;
}

/** An object with an own "__proto__" key, as JSON.parse makes them. */
function withOwnProto(): Record<string, unknown> {
  return JSON.parse('{"__proto__":{"polluted":true},"a":1}');
}

function expectUnpolluted(value: unknown): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  expect((value as Record<string, unknown>).polluted).toBeUndefined();
}

describe('jsonCodec', () => {
  test('round-trips plain JSON data', () => {
    const data = {
      s: 'ü🙂',
      n: -1.5,
      b: false,
      z: null,
      list: [1, { x: [] }],
      nested: { deep: { er: 1 } },
    };
    expect(jsonCodec.decode(jsonCodec.encode(data))).toEqual(data);
  });

  test.each([
    ['a function', { f: () => 1 }, /function at "f"/],
    ['a symbol', { s: Symbol('s') }, /symbol at "s"/],
    ['NaN', { n: Number.NaN }, /NaN at "n"/],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, /Infinity/],
    ['-Infinity', { n: Number.NEGATIVE_INFINITY }, /-Infinity/],
    ['a BigInt', { n: 1n }, /BigInt/],
    ['a Map', { m: new Map() }, /Map at "m" needs richCodec/],
    ['a Set', { s: new Set([1]) }, /Set at "s" needs richCodec/],
    ['a circular structure', circular(), /circular/i],
    ['an own __proto__ key', withOwnProto(), /__proto__/],
    ['a nested own __proto__ key', { inner: withOwnProto() }, /__proto__/],
    ['a function inside an array', { list: [1, () => 2] }, /function/],
  ])('refuses %s with a TypeError', (_label, data, message) => {
    expect(() => jsonCodec.encode(data)).toThrow(TypeError);
    expect(() => jsonCodec.encode(data)).toThrow(message);
  });

  test.each([
    ['a toJSON that returns NaN', { when: { toJSON: () => Number.NaN } }, /NaN/],
    ['a toJSON that returns a Map', { v: { toJSON: () => new Map() } }, /Map/],
    [
      'a class instance holding a function',
      {
        v: new (class Holder {
          f = () => 1;
        })(),
      },
      /an instance of Holder at "v"/,
    ],
    ['a RegExp', { pattern: /a+/g }, /a RegExp at "pattern" would not survive JSON/],
    ['an Error', { last: new Error('boom') }, /an Error at "last"/],
    ['a TypeError in an array', { list: [new TypeError('x')] }, /a TypeError at "0"/],
    [
      'a class instance with only data',
      {
        cart: new (class Cart {
          items = ['a'];
        })(),
      },
      /an instance of Cart at "cart"/,
    ],
    ['a boxed string', { s: new String('x') }, /an instance of String/],
    ['a typed array', { bytes: new Uint8Array([1, 2]) }, /an instance of Uint8Array/],
    [
      'an array with a toJSON that returns a symbol',
      { v: Object.assign([1], { toJSON: () => Symbol('s') }) },
      /symbol/,
    ],
    ['a deep cycle', deepCycle(), /circular/i],
    ['a cycle reachable along many paths', wideCycle(), /circular/i],
  ])('refuses %s with a TypeError, whichever way it is encoded', (_label, data, message) => {
    expect(() => jsonCodec.encode(data)).toThrow(TypeError);
    expect(() => jsonCodec.encode(data)).toThrow(message);
  });

  test.each([
    ['plain data', { a: [1, 'x', true, null, { b: -0.5 }], c: '🙂' }],
    [
      'undefined values and holes',
      { u: undefined, list: [undefined, new Array(2)[0], 3], gaps: new Array(3) },
    ],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
    ['a Date among plain data', { at: new Date(0), n: 1 }],
    ['an invalid Date', { at: new Date(Number.NaN) }],
    ['a Date with own fields', { at: Object.assign(new Date(0), { extra: 1 }) }],
    ['an object with a toJSON', { v: { toJSON: () => ({ ok: true }) } }],
    ['data nested 100 deep', nested(100)],
    ['an array of 20,000 numbers', { list: Array.from({ length: 20_000 }, (_, i) => i) }],
  ])('encodes %s exactly as JSON.stringify does', (_label, data) => {
    expect(jsonCodec.encode(data)).toBe(JSON.stringify(data));
  });

  test('a Date whose toJSON is its own, or patched, goes through the strict checks', () => {
    const own = Object.assign(new Date(0), { toJSON: () => new Map() });
    expect(() => jsonCodec.encode({ at: own })).toThrow(/needs richCodec/);
    class Stamp extends Date {
      override toJSON(): string {
        return new Map() as unknown as string;
      }
    }
    expect(() => jsonCodec.encode({ at: new Stamp(0) })).toThrow(/needs richCodec/);
    const builtIn = Object.getOwnPropertyDescriptor(Date.prototype, 'toJSON') as PropertyDescriptor;
    try {
      Object.defineProperty(Date.prototype, 'toJSON', { ...builtIn, value: () => Symbol('s') });
      expect(() => jsonCodec.encode({ at: new Date(0) })).toThrow(/symbol/);
    } finally {
      Object.defineProperty(Date.prototype, 'toJSON', builtIn);
    }
  });

  test('refuses data with no JSON text at all', () => {
    expect(() => jsonCodec.encode(undefined)).toThrow(/no JSON representation/);
  });

  test('encodes a Date as its ISO string, as JSON.stringify does', () => {
    const when = new Date('2024-01-02T03:04:05.006Z');
    expect(jsonCodec.decode(jsonCodec.encode({ when }))).toEqual({
      when: '2024-01-02T03:04:05.006Z',
    });
  });

  test('drops __proto__ keys on decode, at the top, nested and in arrays', () => {
    const data = jsonCodec.decode<{ a: object; list: object[] }>(
      '{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true},"b":1},"list":[{"__proto__":{"x":1},"c":2}]}',
    );
    expect(data).toEqual({ a: { b: 1 }, list: [{ c: 2 }] });
    expectUnpolluted(data);
    expectUnpolluted(data.a);
    expectUnpolluted(data.list[0]);
    expect(Object.hasOwn(data, '__proto__')).toBe(false);
  });

  test.each([
    ['fully escaped', '{"\\u005f\\u005f\\u0070roto\\u005f\\u005f":{"polluted":true},"a":1}'],
    ['one escaped underscore', '{"\\u005f_proto__":{"polluted":true},"a":1}'],
    ['an escaped letter', '{"__pr\\u006fto__":{"polluted":true},"a":1}'],
    ['upper-case hex', '{"\\u005F_proto__":{"polluted":true},"a":1}'],
    ['nested, escaped', '{"a":1,"prefs":{"\\u005f_proto__":{"isAdmin":true}}}'],
  ])('drops a __proto__ key spelled with JSON escapes (%s)', (_label, text) => {
    const data = jsonCodec.decode<Record<string, Record<string, unknown>>>(text);
    expect(Object.hasOwn(data, '__proto__')).toBe(false);
    expectUnpolluted(data);
    if (data.prefs) {
      expect(Object.hasOwn(data.prefs, '__proto__')).toBe(false);
      // What the issue showed: copying the decoded data must not inherit attacker values.
      const copy = Object.assign({}, data.prefs);
      expect((copy as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    }
  });

  test('every single escaped character of "__proto__" is caught', () => {
    const key = '__proto__';
    for (let i = 0; i < key.length; i++) {
      const escaped = `${key.slice(0, i)}\\u${key.charCodeAt(i).toString(16).padStart(4, '0')}${key.slice(i + 1)}`;
      const data = jsonCodec.decode<object>(`{"${escaped}":{"polluted":true},"a":1}`);
      expect(Object.hasOwn(data, '__proto__'), escaped).toBe(false);
      expectUnpolluted(data);
    }
  });

  test('keeps a "__proto__" that is only a value, not a key', () => {
    expect(jsonCodec.decode('{"text":"__proto__"}')).toEqual({ text: '__proto__' });
  });

  test('throws a SyntaxError on text that is not JSON', () => {
    expect(() => jsonCodec.decode('{"a":')).toThrow(SyntaxError);
    expect(() => jsonCodec.decode('')).toThrow(SyntaxError);
  });
});

describe('richCodec', () => {
  test('round-trips Date, Map, Set, BigInt, RegExp and undefined, nested', () => {
    const data = {
      when: new Date('2024-02-29T00:00:00.000Z'),
      map: new Map<unknown, unknown>([
        ['k', new Set([1n, 2n])],
        [1, { d: new Date(0) }],
      ]),
      set: new Set(['a', 'b']),
      big: 2n ** 80n,
      pattern: /ab+c/gi,
      missing: undefined,
      list: [new Date(1), undefined, 3],
    };
    const back = richCodec.decode<typeof data>(richCodec.encode(data));
    expect(back).toEqual(data);
    expect(back.when).toBeInstanceOf(Date);
    expect(back.map).toBeInstanceOf(Map);
    expect(back.pattern).toBeInstanceOf(RegExp);
    expect(Object.hasOwn(back, 'missing')).toBe(true);
  });

  test('accepts the same object twice when it is not a cycle', () => {
    const shared = { n: 1 };
    expect(richCodec.decode(richCodec.encode({ a: shared, b: shared }))).toEqual({
      a: { n: 1 },
      b: { n: 1 },
    });
  });

  test.each([
    ['a function', { f: () => 1 }, /function/],
    ['a symbol', { s: Symbol('s') }, /symbol/],
    ['a circular structure', circular(), /circular/],
    [
      'a cycle through a Map',
      (() => {
        const map = new Map<string, unknown>();
        map.set('self', { map });
        return { map };
      })(),
      /circular/,
    ],
    ['an own __proto__ key', withOwnProto(), /__proto__/],
  ])('refuses %s with a TypeError', (_label, data, message) => {
    expect(() => richCodec.encode(data)).toThrow(TypeError);
    expect(() => richCodec.encode(data)).toThrow(message);
  });

  test('drops __proto__ keys on decode, also inside Map values and Sets', () => {
    const text =
      '{"json":{"a":{"__proto__":{"polluted":true}},"m":[["k",{"__proto__":{"polluted":true},"v":1}]]},' +
      '"meta":{"values":{"m":["map"]},"v":1}}';
    const back = richCodec.decode<{ a: object; m: Map<string, object> }>(text);
    expect(back).toEqual({ a: {}, m: new Map([['k', { v: 1 }]]) });
    expectUnpolluted(back.a);
    expectUnpolluted(back.m.get('k'));
  });

  test('a payload whose metadata targets __proto__ pollutes nothing', () => {
    const text = '{"json":{"a":"x"},"meta":{"values":{"__proto__.polluted":["set"]}}}';
    try {
      richCodec.decode(text);
    } catch {
      // Refusing is fine; polluting is not.
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('throws on text that is not JSON', () => {
    expect(() => richCodec.decode('not json')).toThrow();
  });
});

/** `{ next: { next: ... { next: <the root> } } }`: a cycle 80 levels down. */
function deepCycle(): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let i = 0; i < 80; i++) {
    const next: Record<string, unknown> = {};
    at.next = next;
    at = next;
  }
  at.next = root;
  return root;
}

/** An object whose every property is itself: 2^depth paths, one cycle. */
function wideCycle(): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const key of ['a', 'b', 'c', 'd']) o[key] = o;
  return o;
}

/** `{ d: { d: ... { end: true } } }`, `depth` levels. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { end: true };
  for (let i = 0; i < depth; i++) value = { d: value };
  return value;
}

/**
 * Codecs turn session data into a string for storage and back. The default is JSON, made
 * strict (data it would silently mangle is refused) and safe (a stored `__proto__` key is
 * dropped on decode, so nothing a backend returns can pollute a prototype).
 */
import { parse as superParse, stringify as superStringify } from 'superjson';

/**
 * Encodes session data to a string and back. Codecs may throw any error: stores wrap
 * encode failures as `SerializeError` and decode failures as `CorruptError`.
 *
 * @example
 * ```ts
 * const store = new MemoryStore({ codec: richCodec }); // Dates, Maps, Sets, BigInts survive
 * ```
 */
export interface Codec<D = unknown> {
  /** A short name, recorded in docs and errors. */
  readonly name: string;
  /**
   * Turns session data into the text a store writes.
   *
   * @throws Any error, when the data cannot be stored faithfully; a store reports it as a
   * `SerializeError` (code `SERIALIZE`) and writes nothing.
   */
  encode(data: D): string;
  /**
   * Turns text a store read back into session data.
   *
   * @throws Any error, when the text does not decode; a store reports it as a `CorruptError`
   * (code `CORRUPT`).
   */
  decode(text: string): D;
}

/**
 * A codec that works for any data type: the type of {@link jsonCodec} and {@link richCodec}.
 * It fits `Codec<D>` for every `D` (encoding takes anything; decoding gives back the type the
 * store was declared with), so `new MemoryStore<Cart>({ codec: richCodec })` type-checks
 * without an `any` in sight.
 */
export interface UniversalCodec {
  /** A short name, recorded in docs and errors. */
  readonly name: string;
  /**
   * Turns session data of any type into the text a store writes.
   *
   * @throws Any error, when the data cannot be stored faithfully; a store reports it as a
   * `SerializeError` (code `SERIALIZE`) and writes nothing.
   */
  encode(data: unknown): string;
  /**
   * Turns text a store read back into session data, typed as the store's data type `D`.
   *
   * @throws Any error, when the text does not decode; a store reports it as a `CorruptError`
   * (code `CORRUPT`).
   */
  decode<D = unknown>(text: string): D;
}

const PROTO = '__proto__';

/** Refuse what JSON would drop or change without a word. */
function strictJsonReplacer(this: unknown, key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'function':
    case 'symbol':
      throw new TypeError(`a ${typeof value} at "${key}" cannot be stored as JSON`);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`${value} at "${key}" cannot be stored as JSON`);
      return value;
    case 'object': {
      if (value === null) return value;
      if (value instanceof Map || value instanceof Set) {
        throw new TypeError(`a ${value.constructor.name} at "${key}" needs richCodec`);
      }
      // JSON keeps only own enumerable properties: a RegExp or an Error would come back as {},
      // a class instance as a plain object without its methods. (What has a toJSON, a Date
      // say, reaches here already converted.)
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
        throw new TypeError(
          `${describeInstance(value)} at "${key}" would not survive JSON: store plain data, give it a toJSON, or use richCodec`,
        );
      }
      if (Object.hasOwn(value, PROTO)) {
        throw new TypeError('a "__proto__" key cannot be stored');
      }
      return value;
    }
    default:
      return value;
  }
}

/** "a RegExp", "an Error", "an instance of Cart": for messages. */
function describeInstance(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || name === '') return 'an object with a custom prototype';
  if (value instanceof Error || value instanceof RegExp || value instanceof Date) {
    return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  }
  return `an instance of ${name}`;
}

/** Most values {@link isPlainJson} looks at before leaving the work to the replacer. */
const PLAIN_WALK_BUDGET = 10_000;
/** Deepest nesting it follows (a cycle, or data that deep, goes the replacer's way). */
const PLAIN_WALK_DEPTH = 64;

/**
 * Whether `value` is plain JSON data — strings, finite numbers, booleans, null, undefined,
 * plain `Date`s, arrays and plain objects of them, no other `toJSON`, no own `__proto__` key — for which
 * `JSON.stringify` alone gives exactly what {@link strictJsonReplacer} would let through. A
 * replacer takes V8 off its fast path: on a typical 1 KiB session this walk plus a plain
 * `JSON.stringify` costs a third less. Anything else (a Date subclass, a class instance, a cycle, a
 * payload over the budget) answers false and is encoded, or refused, by the replacer.
 */
function isPlainJson(value: unknown, depth: number, budget: { left: number }): boolean {
  if (--budget.left < 0) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= PLAIN_WALK_DEPTH) return false;
      const proto = Object.getPrototypeOf(value);
      if (proto === Array.prototype) {
        if (Object.hasOwn(value, 'toJSON')) return false;
        for (const item of value as unknown[]) {
          if (!isPlainJson(item, depth + 1, budget)) return false;
        }
        return true;
      }
      if (proto === Date.prototype) return isPlainDate(value as Date);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      if (typeof record.toJSON === 'function' || Object.hasOwn(record, PROTO)) return false;
      for (const key of Object.keys(record)) {
        if (!isPlainJson(record[key], depth + 1, budget)) return false;
      }
      return true;
    }
    default:
      // function, symbol, bigint: the replacer refuses them with the right message.
      return false;
  }
}

/** `Date.prototype.toJSON` as this module found it, so a patched one is noticed. */
const dateToJSON = Date.prototype.toJSON;

/**
 * A `Date` whose JSON is known: the built-in `toJSON` (an ISO string, or `null` for an invalid
 * date), which the replacer would let through as it is. Session cookies carry one (`expires`),
 * and this keeps them on the fast path. A subclass, an own `toJSON` or a patched prototype
 * goes the replacer's way.
 */
function isPlainDate(value: Date): boolean {
  return Date.prototype.toJSON === dateToJSON && !Object.hasOwn(value, 'toJSON');
}

/** Drops every `__proto__` key while JSON.parse builds the value (returning undefined deletes). */
function withoutProtoKeys(key: string, value: unknown): unknown {
  return key === PROTO ? undefined : value;
}

/**
 * Whether `text` can hold a `__proto__` key at all: only spelled out, or with a `\u` escape
 * (`"\u005f_proto__"`, `"__pr\u006fto__"`...); JSON's other escapes (`\" \\ \/ \b \f \n
 * \r \t`) stand for characters `__proto__` does not contain. Texts that cannot are parsed
 * without a reviver: a reviver makes JSON.parse about four times slower (measured on 2 KiB).
 */
function mayHoldProtoKey(text: string): boolean {
  return text.includes(PROTO) || text.includes('\\u');
}

/**
 * The default codec: strict, safe JSON. Encoding throws on functions, symbols, BigInt,
 * non-finite numbers, Map, Set, RegExp, Error and other class instances, circular structures
 * and own `__proto__` keys (data JSON would silently drop or change). A value with a `toJSON`
 * is stored as its `toJSON` says: Dates become ISO strings, as with `JSON.stringify`; choose
 * {@link richCodec} to keep them as Dates. Decoding drops `__proto__` keys however the text
 * spells them (`"\u005f_proto__"` too), so nothing stored can set a prototype. Plain data (arrays and plain objects of strings,
 * numbers, booleans and null) is checked by a quick walk and then encoded without a replacer,
 * so the strictness costs little; a getter in plain data is therefore read twice.
 *
 * @example
 * ```ts
 * jsonCodec.decode(jsonCodec.encode({ cart: [1, 2] })); // { cart: [1, 2] }
 * ```
 */
export const jsonCodec: UniversalCodec = {
  name: 'json',
  encode(data) {
    const plain = isPlainJson(data, 0, { left: PLAIN_WALK_BUDGET });
    const text = plain ? JSON.stringify(data) : JSON.stringify(data, strictJsonReplacer);
    if (text === undefined) throw new TypeError('the data has no JSON representation');
    return text;
  },
  decode<D>(text: string): D {
    // The key is removed by structure, however it was spelled in the text.
    return mayHoldProtoKey(text) ? JSON.parse(text, withoutProtoKeys) : JSON.parse(text);
  },
};

/** Refuse what superjson cannot round-trip: functions, symbols and cycles. */
function assertRichEncodable(value: unknown, path: string, seen: Set<object>): void {
  const type = typeof value;
  if (type === 'function' || type === 'symbol') {
    throw new TypeError(`a ${type} at "${path}" cannot be stored`);
  }
  if (type !== 'object' || value === null) return;
  const obj = value as object;
  if (seen.has(obj)) throw new TypeError(`a circular reference at "${path}" cannot be stored`);
  seen.add(obj);
  if (obj instanceof Map) {
    for (const [k, v] of obj) {
      assertRichEncodable(k, `${path}<key>`, seen);
      assertRichEncodable(v, `${path}.${String(k)}`, seen);
    }
  } else if (obj instanceof Set || Array.isArray(obj)) {
    let i = 0;
    for (const v of obj as Iterable<unknown>) assertRichEncodable(v, `${path}[${i++}]`, seen);
  } else if (!(obj instanceof Date) && !(obj instanceof RegExp)) {
    if (Object.hasOwn(obj, PROTO)) throw new TypeError('a "__proto__" key cannot be stored');
    for (const [k, v] of Object.entries(obj)) assertRichEncodable(v, `${path}.${k}`, seen);
  }
  seen.delete(obj);
}

/**
 * Remove own `__proto__` keys from objects at any depth, also inside Maps (keys and values)
 * and Sets. Recurses into itself, so a Map nested in a plain object is cleaned too.
 */
function dropProtoKeysDeep(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      dropProtoKeysDeep(k);
      dropProtoKeysDeep(v);
    }
  } else if (value instanceof Set || Array.isArray(value)) {
    for (const v of value) dropProtoKeysDeep(v);
  } else {
    if (Object.hasOwn(value, PROTO)) delete (value as Record<string, unknown>)[PROTO];
    for (const child of Object.values(value)) dropProtoKeysDeep(child);
  }
  return value;
}

/**
 * A codec that round-trips `Date`, `Map`, `Set`, `BigInt`, `RegExp` and `undefined`
 * (built on the well-kept `superjson`). Refuses functions, symbols and cycles; like
 * {@link jsonCodec}, it drops stored `__proto__` keys on decode.
 *
 * @example
 * ```ts
 * const store = new MemoryStore({ codec: richCodec });
 * await store.set(key, { data: { seen: new Date(), tags: new Set(['a']) }, expiresAt });
 * ```
 */
export const richCodec: UniversalCodec = {
  name: 'superjson',
  encode(data) {
    assertRichEncodable(data, '$', new Set());
    return superStringify(data);
  },
  decode<D>(text: string): D {
    // superjson.parse refuses prototype-polluting paths in its metadata itself; the walk below
    // removes keys by structure, so escaped spellings of `__proto__` go too.
    return dropProtoKeysDeep(superParse(text)) as D;
  },
};

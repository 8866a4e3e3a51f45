// The helpers every store is built from: option defaults, encoding with limits, decoding,
// the closed guard, error wrapping and deadlines, and the typed errors themselves.
import { describe, expect, test } from 'vitest';
import { type Codec, jsonCodec } from '../src/codec.js';
import { ConflictError, isSessionError, SessionError, UnavailableError } from '../src/errors.js';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_NAMESPACE,
  decodeData,
  encodeData,
  resolveStoreOptions,
  StoreLifecycle,
  toSessionError,
  withDeadline,
} from '../src/store-kit.js';

const SOURCE = '@sessions/test';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('resolved'),
    (err: unknown) => err,
  );
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  return expect.unreachable('did not throw');
}

describe('resolveStoreOptions', () => {
  test('fills in the defaults', () => {
    const opts = resolveStoreOptions(undefined, SOURCE);
    expect(opts).toEqual({
      source: SOURCE,
      namespace: DEFAULT_NAMESPACE,
      clock: Date.now,
      codec: jsonCodec,
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
    });
  });

  test("caps maxPayloadBytes by the backend's limit", () => {
    expect(resolveStoreOptions({ maxPayloadBytes: 10_000 }, SOURCE, 4_000).maxPayloadBytes).toBe(
      4_000,
    );
    expect(resolveStoreOptions({ maxPayloadBytes: 1_000 }, SOURCE, 4_000).maxPayloadBytes).toBe(
      1_000,
    );
  });

  test('refuses a bad namespace (INVALID_KEY) and a bad maxPayloadBytes (TypeError)', () => {
    expect(
      isSessionError(
        thrown(() => resolveStoreOptions({ namespace: 'a b' }, SOURCE)),
        'INVALID_KEY',
      ),
    ).toBe(true);
    for (const maxPayloadBytes of [0, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(thrown(() => resolveStoreOptions({ maxPayloadBytes }, SOURCE))).toBeInstanceOf(
        TypeError,
      );
    }
  });
});

describe('encodeData', () => {
  const opts = resolveStoreOptions({ maxPayloadBytes: 100 }, SOURCE);

  test('wraps a codec failure as SERIALIZE with the cause and the source', () => {
    const err = thrown(() => encodeData(opts, { n: 1n })) as SessionError;
    expect(isSessionError(err, 'SERIALIZE')).toBe(true);
    expect(err.source).toBe(SOURCE);
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^\[@sessions\/test\] the json codec cannot encode/);
  });

  test('refuses a codec that returns something other than a string', () => {
    const numberCodec = {
      name: 'numbers',
      encode: () => 42,
      decode: () => ({}),
    } as unknown as Codec;
    const err = thrown(() => encodeData({ ...opts, codec: numberCodec }, {}));
    expect(isSessionError(err, 'SERIALIZE')).toBe(true);
  });

  test('enforces the limit in UTF-8 bytes, exactly', () => {
    // {"s":"…"} is 8 bytes around the string.
    expect(encodeData(opts, { s: 'x'.repeat(92) })).toHaveLength(100);
    expect(
      isSessionError(
        thrown(() => encodeData(opts, { s: 'x'.repeat(93) })),
        'TOO_LARGE',
      ),
    ).toBe(true);
    // 30 characters, 90 bytes of '€' plus 8: fits; 31 characters, 101 bytes: does not.
    expect(encodeData(opts, { s: '€'.repeat(30) })).toBeTypeOf('string');
    const err = thrown(() => encodeData(opts, { s: '€'.repeat(31) })) as SessionError;
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toMatch(/101 bytes; the limit is 100/);
  });
});

describe('decodeData', () => {
  const opts = resolveStoreOptions(undefined, SOURCE);

  test('decodes with the codec', () => {
    expect(decodeData(opts, '{"a":[1]}')).toEqual({ a: [1] });
  });

  test('reports bytes that do not decode as CORRUPT, naming the key, with the cause', () => {
    const err = thrown(() => decodeData(opts, '{"a":', 'k1')) as SessionError;
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toMatch(/under key "k1"/);
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  test('reports a stored value that is not a string as CORRUPT', () => {
    for (const stored of [undefined, null, 42, Buffer.from('{}')]) {
      expect(
        isSessionError(
          thrown(() => decodeData(opts, stored)),
          'CORRUPT',
        ),
      ).toBe(true);
    }
  });
});

describe('StoreLifecycle', () => {
  test('is open until closed; close() is true only the first time', () => {
    const lifecycle = new StoreLifecycle(SOURCE);
    expect(lifecycle.closed).toBe(false);
    lifecycle.assertOpen();
    expect(lifecycle.close()).toBe(true);
    expect(lifecycle.close()).toBe(false);
    expect(lifecycle.closed).toBe(true);
    expect(
      isSessionError(
        thrown(() => lifecycle.assertOpen()),
        'CLOSED',
      ),
    ).toBe(true);
  });
});

describe('toSessionError', () => {
  test('passes a SessionError through untouched', () => {
    const conflict = new ConflictError(SOURCE);
    expect(toSessionError(conflict, SOURCE, 'set')).toBe(conflict);
  });

  test('wraps anything else as UNAVAILABLE with the original as cause', () => {
    const driver = new Error('ECONNREFUSED 127.0.0.1:1');
    const wrapped = toSessionError(driver, SOURCE, 'get');
    expect(wrapped).toBeInstanceOf(UnavailableError);
    expect(wrapped.cause).toBe(driver);
    expect(wrapped.message).toBe('[@sessions/test] get failed: ECONNREFUSED 127.0.0.1:1');
    expect(toSessionError('text', SOURCE, 'get').code).toBe('UNAVAILABLE');
  });
});

describe('withDeadline', () => {
  test('resolves with the value, and passes a rejection through', async () => {
    await expect(withDeadline(Promise.resolve(7), 1_000, SOURCE, 'get')).resolves.toBe(7);
    const boom = new Error('boom');
    expect(await rejection(withDeadline(Promise.reject(boom), 1_000, SOURCE, 'get'))).toBe(boom);
  });

  test('rejects with UNAVAILABLE when the promise does not settle in time', async () => {
    const err = await rejection(withDeadline(new Promise(() => undefined), 20, SOURCE, 'get'));
    expect(isSessionError(err, 'UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toMatch(/get did not complete within 20 ms/);
    // The cause names the timeout the way AbortSignal.timeout() does.
    expect(((err as Error).cause as Error).name).toBe('TimeoutError');
  });
});

describe('errors', () => {
  test('carry a stable code, the source, a prefixed message and their class name', () => {
    const err = new ConflictError(SOURCE);
    expect(err).toBeInstanceOf(SessionError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'CONFLICT', source: SOURCE, name: 'ConflictError' });
    expect(err.message).toMatch(/^\[@sessions\/test\] /);
  });

  test('isSessionError checks the shape, so errors from another copy of core count', () => {
    const foreign = Object.assign(new Error('x'), { code: 'CORRUPT', source: '@sessions/other' });
    expect(isSessionError(foreign)).toBe(true);
    expect(isSessionError(foreign, 'CORRUPT')).toBe(true);
    expect(isSessionError(foreign, 'CONFLICT')).toBe(false);
    expect(isSessionError({ code: 'CORRUPT', source: 's' })).toBe(false);
    expect(isSessionError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
  });
});

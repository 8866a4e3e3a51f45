// The options every store shares, resolved and validated once, the same way for every store.
import { describe, expect, test } from 'vitest';
import { jsonCodec } from '../../src/codec.js';
import { isSessionError } from '../../src/errors.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_NAMESPACE } from '../../src/kit/index.js';
import { resolveStoreOptions } from '../../src/kit/options.js';

const spec = { source: '@sessions/test' };

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

describe('resolveStoreOptions', () => {
  test('fills in the defaults', () => {
    const opts = resolveStoreOptions(undefined, spec, true);
    expect(opts).toMatchObject({
      source: '@sessions/test',
      namespace: DEFAULT_NAMESPACE,
      clock: Date.now,
      codec: jsonCodec,
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
      operationTimeout: 2000,
      pruneInterval: 60_000,
    });
    expect(resolveStoreOptions(undefined, { ...spec, pruneInterval: 5 }, true).pruneInterval).toBe(
      5,
    );
    expect(resolveStoreOptions(undefined, spec, false).pruneInterval).toBe(0);
  });

  test("caps maxPayloadBytes by the backend's limit, which may depend on the namespace", () => {
    expect(
      resolveStoreOptions({ maxPayloadBytes: 10_000 }, { ...spec, payloadLimit: 4_000 }, false)
        .maxPayloadBytes,
    ).toBe(4_000);
    const perNamespace = { ...spec, payloadLimit: (ns: string) => 1000 - ns.length };
    expect(resolveStoreOptions({ namespace: 'abcd' }, perNamespace, false).maxPayloadBytes).toBe(
      996,
    );
  });

  test('refuses a bad namespace (INVALID_KEY) and malformed options (TypeError naming them)', () => {
    expect(
      isSessionError(
        thrown(() => resolveStoreOptions({ namespace: 'a b' }, spec, false)),
        'INVALID_KEY',
      ),
    ).toBe(true);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ maxPayloadBytes: 0 }, /maxPayloadBytes/],
      [{ maxPayloadBytes: 1.5 }, /maxPayloadBytes/],
      [{ maxPayloadBytes: Number.POSITIVE_INFINITY }, /maxPayloadBytes/],
      [{ operationTimeout: 0 }, /operationTimeout/],
      [{ operationTimeout: 2.5 }, /operationTimeout/],
      [{ operationTimeout: 2 ** 31 }, /operationTimeout/],
      [{ operationTimeout: '100' }, /operationTimeout/],
      [{ pruneInterval: -1 }, /pruneInterval/],
      [{ pruneInterval: Number.NaN }, /pruneInterval/],
      [{ clock: 5 }, /clock/],
      [{ codec: { name: 'x' } }, /codec/],
      [{ onBackgroundError: 'log' }, /onBackgroundError/],
    ];
    for (const [options, message] of bad) {
      const err = thrown(() => resolveStoreOptions(options as never, spec, true));
      expect(err, JSON.stringify(options)).toBeInstanceOf(TypeError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toMatch(/^\[@sessions\/test\] /);
    }
    expect(thrown(() => resolveStoreOptions(42 as never, spec, false))).toBeInstanceOf(TypeError);
  });
});

// The words of the kit's errors where a caller or an operator reads them: an odd value thrown is
// still described (and never taken for a bug of ours), and a codec that returns something other
// than text is named.
import { describe, expect, test } from 'vitest';
import { describeError, isProgrammerError } from '../../src/kit/index.js';
import { rejection, scriptedDriver, storeOn } from './scripted-driver.js';

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe('error descriptions', () => {
  test('a revoked Proxy is described by its type, and is not a programmer error', () => {
    expect(describeError(revokedProxy())).toBe('a object that cannot be described');
    expect(isProgrammerError(revokedProxy())).toBe(false);
    expect(isProgrammerError(new TypeError('x'))).toBe(true);
  });

  test('a codec that returns no text is SERIALIZE, naming the codec', async () => {
    const codec = { name: 'numbers', encode: () => 42 as never, decode: () => ({}) };
    const store = storeOn(scriptedDriver(), { codec });
    const err = await rejection(store.set('k', { data: {}, expiresAt: Date.now() + 60_000 }));
    expect(err.code).toBe('SERIALIZE');
    expect(err.message).toBe('[@sessions/test] the numbers codec did not return a string');
    await store.close();
  });
});

// Data on the way in (the codec and the size limit) and out (decoding), through a store.
import { describe, expect, test } from 'vitest';
import type { Codec } from '../../src/codec.js';
import { isSessionError } from '../../src/errors.js';
import type { RecordWrite } from '../../src/kit/index.js';
import { rejection, SOURCE, scriptedDriver, storeOn } from './scripted-driver.js';

const expiresAt = Date.now() + 60_000;

function capturing() {
  const writes: RecordWrite[] = [];
  const driver = scriptedDriver({
    set: (write) => {
      writes.push(write);
      return 1;
    },
  });
  return { writes, driver };
}

describe('encoding', () => {
  test('a codec failure is SERIALIZE, with the cause and the source; nothing reaches the driver', async () => {
    const { writes, driver } = capturing();
    const err = await rejection(storeOn(driver).set('k', { data: { n: 1n }, expiresAt }));
    expect(isSessionError(err, 'SERIALIZE')).toBe(true);
    expect(err.source).toBe(SOURCE);
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^\[@sessions\/test\] the json codec cannot encode/);
    expect(writes).toEqual([]);
  });

  test('a codec that returns something other than a string is SERIALIZE', async () => {
    const numbers = { name: 'numbers', encode: () => 42, decode: () => ({}) } as unknown as Codec;
    const err = await rejection(
      storeOn(scriptedDriver(), { codec: numbers }).set('k', { data: {}, expiresAt }),
    );
    expect(isSessionError(err, 'SERIALIZE')).toBe(true);
  });

  test('the limit is in UTF-8 bytes, exactly', async () => {
    const { writes, driver } = capturing();
    const store = storeOn(driver, { maxPayloadBytes: 100 });
    // {"s":"…"} is 8 bytes around the string.
    await store.set('k', { data: { s: 'x'.repeat(92) }, expiresAt });
    expect(writes[0]?.data).toHaveLength(100);
    expect(
      isSessionError(
        await rejection(store.set('k', { data: { s: 'x'.repeat(93) }, expiresAt })),
        'TOO_LARGE',
      ),
    ).toBe(true);
    // 30 characters of '€' are 90 bytes, plus 8: fits; 31 characters, 101 bytes: does not.
    await store.set('k', { data: { s: '€'.repeat(30) }, expiresAt });
    const err = await rejection(store.set('k', { data: { s: '€'.repeat(31) }, expiresAt }));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toMatch(/101 bytes; the limit is 100/);
    expect(store.maxPayloadBytes).toBe(100);
  });
});

describe('decoding', () => {
  test('bytes that do not decode are CORRUPT, naming the key, with the cause', async () => {
    const store = storeOn(
      scriptedDriver({ get: () => ({ data: '{"a":', expiresAt, version: 1 }) }),
    );
    const err = await rejection(store.get('k1'));
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toMatch(/under key "k1"/);
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });
});

/**
 * Small helpers the checks use, exported so that a backend's own tests can reuse them.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A fresh random store key: 32 characters of base64url, valid for every store.
 *
 * @example
 * ```ts
 * await store.set(randomKey(), { data: {}, expiresAt: Date.now() + 60_000 });
 * ```
 */
export function randomKey(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A random lowercase alphanumeric token of `length` characters, for namespaces and markers
 * that must survive any backend's naming and escaping rules unchanged.
 */
export function randomToken(length = 12): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/**
 * Call `fn` until it resolves without throwing, for at most `timeoutMs`; then rethrow its
 * last error. `fn` is always called at least once, so `timeoutMs = 0` means "right now".
 * For state that settles eventually: a lagging secondary index, a native TTL sweep.
 *
 * @example
 * ```ts
 * await eventually(async () => assert.equal(await raw.read(key), undefined), 3000);
 * ```
 */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  timeoutMs: number,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + intervalMs > deadline) throw err;
    }
    await sleep(intervalMs);
  }
}

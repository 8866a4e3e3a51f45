// Trying again within a deadline: attempts until one answers, pauses that grow and stop growing
// at their cap, and a give-up with the store's own error once the next pause would not fit.
import { describe, expect, test } from 'vitest';
import { UnavailableError } from '../../src/errors.js';
import { Call } from '../../src/kit/operation.js';
import { retryWithin } from '../../src/kit/retry.js';

describe('retryWithin', () => {
  test('attempts until one returns a value, pausing by a growing, capped backoff', async () => {
    const op = new Call('wait', 0, 10_000);
    const at: number[] = [];
    const start = performance.now();
    const value = await retryWithin(
      op,
      { firstMs: 10, factor: 2, maxMs: 20 },
      async () => {
        at.push(performance.now() - start);
        return at.length === 4 ? 'ready' : undefined;
      },
      () => new Error('never'),
    );
    expect(value).toBe('ready');
    // Pauses of 10, 20 and 20 ms (capped), never less (timers fire late, not early).
    const pauses = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(pauses[0]).toBeGreaterThanOrEqual(9);
    expect(pauses[1]).toBeGreaterThanOrEqual(19);
    expect(pauses[2]).toBeGreaterThanOrEqual(19);
    expect(at).toHaveLength(4);
  });

  test('gives up with outOfTime() when the next pause would outlast the deadline', async () => {
    const op = new Call('wait', 0, 100);
    let attempts = 0;
    const failure = new Error('not ready in time');
    await expect(
      retryWithin(
        op,
        { firstMs: 30, factor: 2 },
        async () => {
          attempts++;
          return undefined;
        },
        () => failure,
      ),
    ).rejects.toBe(failure);
    // 30 + 60 ms of pauses fit in 100 ms; the next (120 ms) would not: three attempts.
    expect(attempts).toBe(3);
  });

  test('a pause ends when the operation expires (the caller has had its answer already)', async () => {
    const op = new Call('wait', 0, 10_000);
    const started = performance.now();
    const pending = retryWithin(
      op,
      { firstMs: 5_000, factor: 1 },
      async () => undefined,
      () => new Error('out of time'),
    );
    const reason = new Error('deadline');
    setTimeout(
      () => op.expire(new UnavailableError('@sessions/test', 'late', { cause: reason })),
      5,
    );
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', cause: reason });
    expect(performance.now() - started).toBeLessThan(4_000);
  });
});

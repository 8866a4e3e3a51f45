// The deadline queue at its edges: a call with a long bound of its own never holds back the
// calls behind it, a finished call's signal never aborts afterwards, a driver sees one signal
// per call (as many listeners on it as the client needs, with no warning), and a late value that
// does not decode is still CORRUPT.
import { describe, expect, test } from 'vitest';
import { Deadlines } from '../../src/kit/deadlines.js';
import type { Operation } from '../../src/kit/index.js';
import { Call } from '../../src/kit/operation.js';
import { later, never, rejection, SOURCE, scriptedDriver, storeOn } from './scripted-driver.js';

const soon = <T>(value: T) => later(1, value);

describe('deadline edges', () => {
  test('a call with a long bound of its own does not hold back the deadlines after it', async () => {
    const store = storeOn(scriptedDriver({ get: () => never() }), { operationTimeout: 50 });
    const long = rejection(store.extra(() => never(), 600));
    const err = await Promise.race([rejection(store.get('k')), later(400, undefined)]);
    expect(err?.code, 'the get waited for the long call').toBe('UNAVAILABLE');
    expect(err?.cause?.name).toBe('TimeoutError');
    expect(err?.cause?.message).toBe('get timed out after 50 ms');
    expect(err?.message).toBe('[@sessions/test] get did not complete within 50 ms');
    await store.close();
    expect((await long).code).toBe('UNAVAILABLE');
  });

  test('a call that finished never has its signal aborted, even when its deadline passes later', async () => {
    const signals = new Map<string, AbortSignal>();
    const driver = scriptedDriver({
      get: (key, op) => {
        signals.set(key, op.signal);
        return key === 'hung' ? never() : soon(undefined);
      },
    });
    const store = storeOn(driver, { operationTimeout: 30 });
    const hung = rejection(store.get('hung'));
    await store.get('quick'); // queued behind the hung call, finished long before its deadline
    let own: AbortSignal | undefined;
    await store.extra((op: Operation) => {
      own = op.signal;
      return soon(1);
    }, 40);
    await hung;
    await later(60, undefined);
    expect(signals.get('hung')?.aborted).toBe(true);
    expect(signals.get('quick')?.aborted).toBe(false);
    expect(own?.aborted).toBe(false);
    await store.close();
  });

  test('a driver sees one signal per call, not aborted until the deadline', async () => {
    const seen: Array<[AbortSignal, AbortSignal, boolean]> = [];
    const driver = scriptedDriver({
      get: (_key, op) => {
        seen.push([op.signal, op.signal, op.signal.aborted]);
        return never();
      },
    });
    const store = storeOn(driver, { operationTimeout: 30 });
    const err = await rejection(store.get('k'));
    const [[first, second, abortedAtStart]] = seen as [[AbortSignal, AbortSignal, boolean]];
    expect(abortedAtStart).toBe(false);
    expect(second).toBe(first);
    expect(first.aborted).toBe(true);
    expect(first.reason).toBe(err.cause);
    await store.close();
  });

  test('only calls still waiting are pending: those finished behind a hung one are not', async () => {
    const deadlines = new Deadlines(30, SOURCE);
    const track = (name: string, work: Promise<unknown>) =>
      deadlines
        .track(
          new Call(name, 0, 30),
          work,
          (v) => v,
          (e) => e,
        )
        .catch((e: unknown) => e);
    const hung = track('hung', never());
    await Promise.all([track('a', soon(1)), track('b', soon(2))]);
    expect(deadlines.pending).toBe(1);
    await hung;
    expect(deadlines.pending).toBe(0);
  });

  test('a value that arrives later and does not decode is CORRUPT', async () => {
    const stored = {
      data: '{not json',
      expiresAt: Date.now() + 60_000,
      version: 1,
      userId: undefined,
    };
    const store = storeOn(scriptedDriver({ get: () => soon(stored) }));
    expect((await rejection(store.get('k'))).code).toBe('CORRUPT');
    await store.close();
  });

  test("a call's signal takes a listener per step of a client call with no MaxListeners warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const store = storeOn(
        scriptedDriver({
          get: (_key, op) => {
            // What a driver does over one call's steps: more than Node's default of ten.
            for (let step = 0; step < 20; step++) op.signal.addEventListener('abort', () => {});
            return soon(undefined);
          },
        }),
      );
      await store.get('k');
      await later(10, undefined); // process warnings are emitted on a later tick
      await store.close();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

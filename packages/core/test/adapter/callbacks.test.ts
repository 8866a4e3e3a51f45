// settle(): a Node-style callback called exactly once, outside any promise chain.
import { afterEach, expect, test } from 'vitest';
import { settle } from '../../src/adapter/index.js';

/** Every exception that reached the process as uncaught, while the capture is on. */
const captured: unknown[] = [];
function captureUncaught(): void {
  // An unhandled rejection instead would reach vitest, which fails the run.
  process.setUncaughtExceptionCaptureCallback((err) => captured.push(err));
}
afterEach(() => {
  process.setUncaughtExceptionCaptureCallback(null);
  captured.length = 0;
});

const ticks = () => new Promise((resolve) => setTimeout(resolve, 20));

test('a resolved promise calls back (null, value) once', async () => {
  const calls: unknown[][] = [];
  settle(Promise.resolve(42), (...args) => calls.push(args));
  await ticks();
  expect(calls).toEqual([[null, 42]]);
});

test('a rejected promise calls back (err) once', async () => {
  const calls: unknown[][] = [];
  const failure = new Error('store down');
  settle(Promise.reject(failure), (...args) => calls.push(args));
  await ticks();
  expect(calls).toEqual([[failure]]);
});

test('without a callback, the promise itself is returned', async () => {
  const promise = Promise.resolve('v');
  expect(settle(promise)).toBe(promise);
  expect(settle(promise, () => {})).toBeUndefined();
});

test('a callback that throws on success is an uncaught exception, and is not called again', async () => {
  captureUncaught();
  let calls = 0;
  const boom = new Error('thrown by the caller');
  settle(Promise.resolve(1), () => {
    calls++;
    throw boom;
  });
  await ticks();
  expect({ calls, captured }).toEqual({ calls: 1, captured: [boom] });
});

test('a callback that throws on failure is an uncaught exception, and is not called again', async () => {
  captureUncaught();
  const seen: unknown[] = [];
  const boom = new Error('thrown by the caller');
  settle(Promise.reject(new Error('store down')), (err) => {
    seen.push(err);
    throw boom;
  });
  await ticks();
  expect(seen).toHaveLength(1);
  expect(captured).toEqual([boom]);
});

test('the callback never runs synchronously, even for a settled promise', () => {
  let called = false;
  settle(Promise.resolve(1), () => {
    called = true;
  });
  expect(called).toBe(false);
});

test('a promise rejected with null still calls back as a failure, once', async () => {
  const calls: unknown[][] = [];
  settle(Promise.reject(null), (...args) => calls.push(args));
  await ticks();
  expect(calls).toEqual([[null]]);
});

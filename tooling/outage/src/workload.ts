/**
 * The traffic the harness sends: unique keys (so every acknowledged write can be checked on its
 * own), a steady open-loop load, a burst, and a probe that waits for the first success.
 */
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '@sessions/core';
import { now, type OperationLog, sleep } from './operation-log.js';

/** A record whose data names its own key, one hour from now. */
export function recordFor(key: string, n: number) {
  return { data: { key, n }, expiresAt: Date.now() + 3_600_000, userId: `u${n % 7}` };
}

/**
 * Hands out keys unique to one scenario run (`<tag>-<random>-<n>`), and remembers the written
 * ones so reads hit real records.
 */
export class KeySource {
  readonly #prefix: string;
  #n = 0;
  readonly written: string[] = [];

  constructor(tag: string) {
    this.#prefix = `${tag}-${randomBytes(4).toString('hex')}`;
  }

  /** A fresh key and its sequence number. */
  next(): { key: string; n: number } {
    this.#n += 1;
    return { key: `${this.#prefix}-${this.#n}`, n: this.#n };
  }

  /** A key to read: a recently written one when there is one. */
  forRead(): string {
    const pick = this.written[this.written.length - 1 - Math.floor(Math.random() * 20)];
    return pick ?? this.next().key;
  }
}

/** Issue one write of a fresh key; the key is remembered for reads once acknowledged. */
export function issueWrite(
  log: OperationLog,
  store: SessionStore,
  keys: KeySource,
): Promise<boolean> {
  const { key, n } = keys.next();
  return log
    .track('set', key, () => store.set(key, recordFor(key, n)))
    .then((ok) => {
      if (ok) keys.written.push(key);
      return ok;
    });
}

/** Issue one read. */
export function issueRead(
  log: OperationLog,
  store: SessionStore,
  keys: KeySource,
): Promise<boolean> {
  const key = keys.forRead();
  return log.track('get', key, () => store.get(key));
}

/**
 * A steady open-loop load: `ratePerSec` operations a second, alternating set and get, each
 * issued on schedule whether or not earlier ones have settled (as real traffic does). Runs until
 * `stop()` is called.
 */
export function startSteadyLoad(
  log: OperationLog,
  store: SessionStore,
  keys: KeySource,
  ratePerSec: number,
): { stop(): Promise<void> } {
  const interval = 1000 / ratePerSec;
  let running = true;
  const loop = (async () => {
    const start = now();
    for (let i = 0; running; i++) {
      if (i % 2 === 0) void issueWrite(log, store, keys);
      else void issueRead(log, store, keys);
      // Schedule against the start time, not the previous tick, so timer jitter does not
      // slowly lower the rate.
      await sleep(start + (i + 1) * interval - now());
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/**
 * After a restart: issue a write and a read every 20 ms until a write has succeeded (a
 * recovered store must take writes again, and the harness needs one to verify) or `maxMs`
 * passes. Resolves when either happens (the probes themselves may still be pending).
 */
export async function probeUntilSuccess(
  log: OperationLog,
  store: SessionStore,
  keys: KeySource,
  maxMs: number,
): Promise<boolean> {
  const deadline = now() + maxMs;
  let written = false;
  while (!written && now() < deadline) {
    void issueWrite(log, store, keys).then((ok) => {
      written ||= ok;
    });
    void issueRead(log, store, keys);
    await sleep(20);
  }
  return written;
}

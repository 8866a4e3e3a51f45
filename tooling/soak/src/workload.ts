/**
 * The load one worker process puts on its store: lanes that each own their sessions and users
 * (so lanes never race each other and each knows exactly what it was acknowledged), plus hot
 * counters every lane of every process increments by compare-and-set (the contended part).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isSessionError, type SessionStore } from '@sessions/core';
import { emptyHistogram, type Histogram, record } from './histogram.js';
import type { WorkerConfig } from './types.js';

/** What the store acknowledged for one session. */
export interface AckedSession {
  /** A random token in the data: the raw payload must contain it. */
  token: string;
  expiresAt: number;
  userId: string;
  version: number;
  long: boolean;
  /**
   * Tokens of writes that failed with an unknown outcome (`UNAVAILABLE`: the deadline passed,
   * the write may still land). The backend may hold any of them instead of `token`.
   */
  maybe?: string[];
}

/** Hot-counter increments of one process: acknowledged, and failed with an unknown outcome. */
export interface CounterTally {
  acked: number[];
  uncertain: number[];
}

/** A session this near its expiry is not picked for an update (it may expire in flight). */
const PICK_MARGIN_MS = 1500;
/** Attempts of one hot-counter increment before it gives up (and counts nothing). */
const MAX_CAS_ATTEMPTS = 50;
/** Some bytes of session data beside the token, like a real session's cart and flags. */
const FILLER = 'x'.repeat(160);

/** Marker text of a hot counter's value, findable in any backend's raw payload. */
export function counterText(n: number): string {
  return `ctr=${n};`;
}

/** The value of a hot counter in raw payload text, or undefined. */
export function parseCounter(raw: string): number | undefined {
  const match = /ctr=(\d+);/.exec(raw);
  return match ? Number(match[1]) : undefined;
}

/** The key of hot counter `i` (shared by every worker). */
export const counterKey = (i: number): string => `hot-${i}`;

function token(): string {
  return randomBytes(9).toString('base64url');
}

function pick<T>(items: readonly T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}

/** The figures of the current window, reset by the worker after each report. */
export interface WindowTally {
  latency: Histogram;
  ops: number;
  conflicts: number;
  errors: Record<string, number>;
}

/** A fresh tally. */
export function emptyTally(): WindowTally {
  return { latency: emptyHistogram(), ops: 0, conflicts: 0, errors: {} };
}

/** One lane: a sequential loop over its own sessions and users. */
export class Lane {
  /** Acknowledged live sessions (dropped once expired). */
  readonly sessions = new Map<string, AckedSession>();
  /** Keys whose delete was acknowledged since the last read-back: the backend must not hold them. */
  readonly deleted = new Set<string>();
  readonly #prefix: string;
  readonly #users: string[];
  #seq = 0;

  constructor(
    readonly store: SessionStore,
    readonly config: WorkerConfig,
    lane: number,
    readonly tally: () => WindowTally,
    readonly counters: CounterTally,
  ) {
    this.#prefix = `w${config.workerId}-l${lane}`;
    this.#users = Array.from({ length: 8 }, (_, i) => `${this.#prefix}-u${i}`);
  }

  /** Create this lane's share of the long-lived sessions. */
  async createLongSessions(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await this.#create(true);
  }

  /** One operation, chosen by weight. */
  async step(): Promise<void> {
    const roll = Math.random() * 100;
    if (roll < 28) return this.#create(false);
    if (roll < 50) return this.#update();
    if (roll < 64) return this.#touch();
    if (roll < 78) return this.#get();
    if (roll < 82) return this.#delete();
    if (roll < 84) return this.#deleteByUser();
    if (roll < 88) return this.#list();
    return this.#increment();
  }

  /** Sessions that should still be live `marginMs` from now; forget the expired ones. */
  live(marginMs: number): Array<[string, AckedSession]> {
    const now = Date.now();
    const out: Array<[string, AckedSession]> = [];
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(key);
      else if (session.expiresAt > now + marginMs) out.push([key, session]);
    }
    return out;
  }

  async #timed<T>(run: () => Promise<T>): Promise<T | undefined> {
    const started = performance.now();
    try {
      return await run();
    } catch (err) {
      const code = isSessionError(err) ? err.code : `RAW:${(err as Error)?.name ?? typeof err}`;
      const errors = this.tally().errors;
      errors[code] = (errors[code] ?? 0) + 1;
      return undefined;
    } finally {
      const tally = this.tally();
      record(tally.latency, performance.now() - started);
      tally.ops++;
    }
  }

  #lifetime(long: boolean): number {
    if (long) return Date.now() + this.config.runMs + 600_000 + Math.floor(Math.random() * 1000);
    const [min, max] = this.config.ttlMs;
    return Date.now() + min + Math.floor(Math.random() * (max - min));
  }

  #candidate(short: boolean): [string, AckedSession] | undefined {
    const candidates = this.live(PICK_MARGIN_MS).filter(([, s]) => !short || !s.long);
    return pick(candidates);
  }

  async #create(long: boolean): Promise<void> {
    const key = `${this.#prefix}-${long ? 'long' : 's'}${this.#seq++}`;
    const session: AckedSession = {
      token: token(),
      expiresAt: this.#lifetime(long),
      // Long-lived sessions have an owner of their own: deleteByUser never takes them.
      userId: long ? `${this.#prefix}-keep` : (pick(this.#users) as string),
      version: 0,
      long,
    };
    const result = await this.#timed(() =>
      this.store.set(
        key,
        {
          data: { t: session.token, f: FILLER },
          expiresAt: session.expiresAt,
          userId: session.userId,
        },
        { ifVersion: 0 },
      ),
    );
    if (result) this.sessions.set(key, { ...session, version: result.version });
  }

  async #update(): Promise<void> {
    const found = this.#candidate(false);
    if (!found) return this.#create(false);
    const [key, old] = found;
    const next = { ...old, token: token() };
    let failure: unknown;
    const result = await this.#timed(() =>
      this.store
        .set(
          key,
          { data: { t: next.token, f: FILLER }, expiresAt: next.expiresAt, userId: next.userId },
          { ifVersion: old.version },
        )
        .catch((err) => {
          failure = err;
          throw err;
        }),
    );
    if (result) this.sessions.set(key, { ...next, maybe: undefined, version: result.version });
    // Its version is no longer known: stop updating (and checking) this session.
    else if (isSessionError(failure, 'CONFLICT')) this.sessions.delete(key);
    else this.sessions.set(key, { ...old, maybe: [...(old.maybe ?? []), next.token] });
  }

  async #touch(): Promise<void> {
    const found = this.#candidate(false);
    if (!found) return;
    const [key, old] = found;
    const expiresAt = this.#lifetime(old.long);
    const touched = await this.#timed(() => this.store.touch(key, expiresAt));
    if (touched === true) this.sessions.set(key, { ...old, expiresAt });
    else if (touched === false) this.#count('TOUCH_MISSED_LIVE');
    // Unknown outcome: either expiry may hold, so only the earlier one is relied on.
    else this.sessions.set(key, { ...old, expiresAt: Math.min(old.expiresAt, expiresAt) });
  }

  async #get(): Promise<void> {
    const found = this.#candidate(false);
    if (!found) return;
    const [key, acked] = found;
    const got = await this.#timed(() => this.store.get(key));
    if (got === undefined) return;
    // Read through the store too: a stale or missing read is a failure as much as a lost write.
    const data = got?.data as { t?: string } | undefined;
    if (![acked.token, ...(acked.maybe ?? [])].includes(data?.t ?? '')) this.#count('STALE_READ');
  }

  async #delete(): Promise<void> {
    const found = this.#candidate(true);
    if (!found) return;
    const [key] = found;
    const removed = await this.#timed(() => this.store.delete(key));
    // Acknowledged or not (an unknown outcome may have deleted it), it is no longer checked.
    this.sessions.delete(key);
    if (removed === undefined) return;
    if (removed) this.deleted.add(key);
    else this.#count('DELETE_MISSED_LIVE');
  }

  async #deleteByUser(): Promise<void> {
    const userId = pick(this.#users) as string;
    // Only sessions surely live through the call are expected gone afterwards; one expiring
    // meanwhile may stay as an expired row until a prune, which is not a resurrection.
    const owned = this.live(PICK_MARGIN_MS).filter(([, s]) => s.userId === userId);
    const count = await this.#timed(() => this.store.deleteByUser(userId));
    if (count === undefined) {
      for (const [key] of owned) this.sessions.delete(key);
      return;
    }
    for (const [key] of owned) {
      this.sessions.delete(key);
      this.deleted.add(key);
    }
    for (const [key, s] of this.sessions) if (s.userId === userId) this.sessions.delete(key);
  }

  async #list(): Promise<void> {
    await this.#timed(() => this.store.listByUser(pick(this.#users) as string));
  }

  async #increment(): Promise<void> {
    const i = Math.floor(Math.random() * this.config.hotCounters);
    const key = counterKey(i);
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.#timed(() => this.store.get(key));
      if (current === undefined) return;
      const n = parseCounter(String((current.data as { c?: string }).c)) ?? Number.NaN;
      try {
        const started = performance.now();
        await this.store
          .set(
            key,
            { data: { c: counterText(n + 1) }, expiresAt: current.expiresAt },
            { ifVersion: current.version },
          )
          .finally(() => {
            record(this.tally().latency, performance.now() - started);
            this.tally().ops++;
          });
        this.counters.acked[i] = (this.counters.acked[i] ?? 0) + 1;
        return;
      } catch (err) {
        if (isSessionError(err, 'CONFLICT')) this.tally().conflicts++;
        else {
          this.counters.uncertain[i] = (this.counters.uncertain[i] ?? 0) + 1;
          return this.#count(isSessionError(err) ? err.code : 'RAW');
        }
      }
    }
  }

  #count(code: string): void {
    const errors = this.tally().errors;
    errors[code] = (errors[code] ?? 0) + 1;
  }
}

/** Create the hot counters if no other process did yet (a CONFLICT means one did). */
export async function createCounters(store: SessionStore, config: WorkerConfig): Promise<void> {
  const expiresAt = Date.now() + config.runMs + 600_000;
  for (let i = 0; i < config.hotCounters; i++) {
    try {
      await store.set(counterKey(i), { data: { c: counterText(0) }, expiresAt }, { ifVersion: 0 });
    } catch (err) {
      if (!isSessionError(err, 'CONFLICT')) throw err;
    }
  }
}

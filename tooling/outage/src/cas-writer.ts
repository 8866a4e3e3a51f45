/**
 * A compare-and-set writer that keeps the books on every write's fate. One writer owns one key
 * (no one else writes it), so the version it last confirmed is the truth, and every `CONFLICT`
 * must be explained by one of its own writes whose outcome was unknown.
 *
 * The rules it checks, for a write `n` sent with `ifVersion: v`:
 * - acknowledged: the store says version `v + 1`. Anything else means the write was applied
 *   more than once (or the version went wrong).
 * - `UNAVAILABLE`: unknown outcome. The writer retries the same record with the same `v`:
 *   - success at `v + 1`: the first attempt was not applied;
 *   - `CONFLICT`: the record (read directly, not through the faulty link) must be write `n` at
 *     `v + 1`: the first attempt was applied, once;
 *   - still `UNAVAILABLE` when the scenario ends (and a few tries later): the writer stops,
 *     and the final read settles it.
 * - `CONFLICT` on a first attempt: the store reported a conflict with nothing to conflict with.
 *   If the record holds write `n` itself, the store applied the write and then reported it as a
 *   conflict (a replay of its own request): that is the bug this check exists for.
 */
import type { SessionRecord, SessionStore, SetResult } from '@sessions/core';
import { classifyError, type OperationLog, sleep } from './operation-log.js';
import type { CasFigures } from './types.js';

/** A new, empty tally. */
export function emptyCasFigures(): CasFigures {
  return {
    writes: 0,
    acknowledged: 0,
    unavailable: 0,
    resolvedApplied: 0,
    resolvedNotApplied: 0,
    unresolved: 0,
    violations: [],
  };
}

/** What one writer needs. */
export interface CasWriterOptions {
  log: OperationLog;
  /** The store under test (through the faulty link). */
  store: SessionStore;
  /** A store on the same scope, straight to the server: the independent reader. */
  reader: SessionStore;
  key: string;
  figures: CasFigures;
  /** Keep writing while this is true. */
  running(): boolean;
  /** Pause between writes, in ms. */
  paceMs: number;
}

type Outcome = { ok: true; version: number } | { ok: false; code: string };

/** Retries of an unknown-outcome write after the scenario's end, before the final read decides. */
const RETRIES_AFTER_END = 3;
const KEEP = 8;

function violation(figures: CasFigures, sentence: string): void {
  if (figures.violations.length < KEEP) figures.violations.push(sentence);
  else if (figures.violations.length === KEEP) figures.violations.push('…and more');
}

/** Read the record straight from the server, a few tries (the reader can meet a hiccup too). */
async function readDirect(reader: SessionStore, key: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      const record = await reader.get(key);
      return record && { version: record.version ?? 0, n: (record.data as { n?: number }).n };
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(200);
    }
  }
}

/** Run one writer until `running()` turns false, then check the key's final state. */
export async function runCasWriter(options: CasWriterOptions): Promise<void> {
  const { log, store, reader, key, figures } = options;
  let version = 0;
  let last = 0;
  let n = 0;
  /**
   * One attempt, in the log. On a retry (`resolving`), `CONFLICT` is an answer, not a failure:
   * it is how the writer learns its first attempt was applied, and the writer judges it.
   */
  const attempt = async (record: SessionRecord, resolving = false): Promise<Outcome> => {
    let outcome: Outcome = { ok: false, code: 'RAW:unknown' };
    const ifVersion = version;
    await log.track('set', key, async () => {
      try {
        const result: SetResult = await store.set(key, record, { ifVersion });
        outcome = { ok: true, version: result.version };
      } catch (err) {
        outcome = { ok: false, code: classifyError(err).code };
        if (!(resolving && outcome.code === 'CONFLICT')) throw err;
      }
    });
    return outcome;
  };
  const expectNext = (outcome: { version: number }, what: string) => {
    if (outcome.version !== version + 1) {
      violation(
        figures,
        `${key}: write ${n} on version ${version} ${what} as version ${outcome.version} (applied ${outcome.version - version} times?)`,
      );
    }
    version = outcome.version;
    last = n;
  };
  while (options.running()) {
    n += 1;
    figures.writes += 1;
    const record = { data: { key, n }, expiresAt: Date.now() + 3_600_000 };
    const first = await attempt(record);
    if (first.ok) {
      figures.acknowledged += 1;
      expectNext(first, 'was acknowledged');
      await readOwnWrite(options, version, n);
    } else if (first.code === 'CONFLICT') {
      const seen = await readDirect(reader, key);
      violation(
        figures,
        seen?.n === n
          ? `${key}: write ${n} on version ${version} reported CONFLICT for its own write (stored: version ${seen.version}, write ${seen.n})`
          : `${key}: write ${n} on version ${version} reported CONFLICT with no other writer (stored: version ${seen?.version}, write ${seen?.n})`,
      );
      return;
    } else if (first.code === 'UNAVAILABLE') {
      figures.unavailable += 1;
      if (!(await resolve(record))) return finalCheck(true);
    } else {
      // Not this check's business: the log counts it as a bad failure.
      return;
    }
    await sleep(options.paceMs);
  }
  return finalCheck(false);

  /** Retry an unknown-outcome write with the same version; false when it stays unknown. */
  async function resolve(record: SessionRecord): Promise<boolean> {
    // Retry for as long as the scenario runs (a store may fail fast for a while, reconnecting),
    // then a few more times; only then is it left to the final read.
    let afterEnd = 0;
    for (let retry = 0; options.running() || afterEnd++ < RETRIES_AFTER_END; retry++) {
      await sleep(Math.min(50 * (retry + 1), 250));
      const again = await attempt(record, true);
      if (again.ok) {
        figures.resolvedNotApplied += 1;
        expectNext(again, 'was acknowledged on a retry');
        return true;
      }
      if (again.code === 'UNAVAILABLE') continue;
      if (again.code !== 'CONFLICT') return false;
      const seen = await readDirect(reader, key);
      if (seen?.n === n && seen.version === version + 1) {
        figures.resolvedApplied += 1;
        version = seen.version;
        last = n;
        return true;
      }
      violation(
        figures,
        `${key}: write ${n} on version ${version} timed out, and its retry met CONFLICT with a record that is not that write applied once (stored: version ${seen?.version}, write ${seen?.n})`,
      );
      return false;
    }
    figures.unresolved += 1;
    return false;
  }

  /** The stored record is the last write the writer knows of (or, if unknown, the pending one). */
  async function finalCheck(pendingUnknown: boolean): Promise<void> {
    const seen = await readDirect(reader, key);
    const known = (seen?.version ?? 0) === version && (seen?.n ?? 0) === last;
    const pendingApplied = pendingUnknown && seen?.version === version + 1 && seen?.n === n;
    if (!known && !pendingApplied) {
      violation(
        figures,
        `${key}: stored version ${seen?.version}, write ${seen?.n}; the writer's sequence ends at version ${version}, write ${last}${pendingUnknown ? ` (or ${version + 1}, write ${n}, unknown)` : ''}`,
      );
    }
  }
}

/** A read through the store right after an acknowledged write returns that write. */
async function readOwnWrite(options: CasWriterOptions, version: number, n: number): Promise<void> {
  const { log, store, key, figures } = options;
  let seen: { version?: number; data: unknown } | undefined;
  const ok = await log.track('get', key, async () => {
    seen = await store.get(key);
  });
  const seenN = (seen?.data as { n?: number } | undefined)?.n;
  if (ok && (seen?.version !== version || seenN !== n)) {
    violation(
      figures,
      `${key}: a read after write ${n} (version ${version}) returned version ${seen?.version}, write ${seenN}`,
    );
  }
}

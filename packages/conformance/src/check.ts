/**
 * What a check is, and the context it runs in. Checks are plain async functions that throw
 * (with `node:assert/strict`) when a store breaks a rule, so they run the same inside vitest,
 * inside `runChecks`, or anywhere else.
 */
import type { Codec, SessionStore } from '@sessions/core';
import type { FakeClock } from './clock.js';
import type { RuleId } from './rules.js';
import type { RawAccess, StoreCapabilities } from './types.js';

/** A store a check opened, with raw access to what it holds. */
export interface OpenedStore {
  /** The store under test. The suite closes it after the check, pass or fail. */
  store: SessionStore<unknown>;
  /** The backend as it is, bypassing the store. */
  raw: RawAccess;
  /** The namespace it was built with. */
  namespace: string;
}

/** Options of {@link CheckContext.open}. */
export interface OpenOptions {
  /** Default: the check's own namespace. */
  namespace?: string;
  /** Default: the store's own default codec. */
  codec?: Codec;
}

/** What a check gets: its clock, its namespace, and a way to build stores. */
export interface CheckContext {
  /** What the backend declared about itself. */
  readonly capabilities: StoreCapabilities;
  /** The check's clock, shared by every store the check opens. */
  readonly clock: FakeClock;
  /** A namespace no other check (or run) uses. */
  readonly namespace: string;
  /**
   * Aborts when the check is stopped (its timeout, the run's budget) or over. The stores from
   * `open` are already cut off by it; a check that waits or loops on its own checks it too.
   */
  readonly signal: AbortSignal;
  /** Build a fresh store (and its raw access); it is closed after the check. */
  open(options?: OpenOptions): Promise<OpenedStore>;
}

/** One rule-enforcing check. */
export interface Check {
  /** Stable id, `<concern>/<name>`, e.g. `cas/race-one-winner`. */
  readonly id: string;
  /** The concern (one file under `src/checks/`, or `manager`), used to group checks. */
  readonly concern: string;
  /** The contract rule this check enforces. */
  readonly rule: RuleId;
  /** What a passing store does, as a sentence. */
  readonly title: string;
  /** Only run where this holds (a declared capability), e.g. native-expiry checks. */
  readonly applies?: (capabilities: StoreCapabilities) => boolean;
  /**
   * Upper bound for the check in ms (default 20 000; 60 000 for manager checks), before the
   * backend's index lag.
   */
  readonly timeoutMs?: number;
  /** Resolve if the store keeps the rule; throw (an assertion) if not. */
  run(context: CheckContext): Promise<void>;
}

/** A check as written in a concern file, before the concern prefixes its id. */
export type CheckSpec = Omit<Check, 'id' | 'concern'> & {
  /** The check's name within its concern; its id becomes `<concern>/<name>`. */
  name: string;
};

/** Give each spec of one concern its id (`<concern>/<name>`) and concern. */
export function defineChecks(concern: string, specs: CheckSpec[]): Check[] {
  return specs.map(({ name, ...spec }) => ({ ...spec, id: `${concern}/${name}`, concern }));
}

/** Whether the store declares a `prune()`: always when it has no native expiry. */
export function hasPrune(capabilities: StoreCapabilities): boolean {
  return capabilities.nativeExpiry === 'none' || capabilities.prune === true;
}

/** Whether the backend deletes expired entries itself (so `raw.nativeExpiresAt` must exist). */
export function hasNativeExpiry(capabilities: StoreCapabilities): boolean {
  return capabilities.nativeExpiry !== 'none';
}

/** Whether the store declares the optional `list()` (default: yes). */
export function hasList(capabilities: StoreCapabilities): boolean {
  return capabilities.list !== false;
}

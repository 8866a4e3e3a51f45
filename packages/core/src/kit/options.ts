/**
 * The options every store shares, resolved and validated in one place: a store built on the
 * kit never reads them itself.
 */
import { type Codec, jsonCodec } from '../codec.js';
import type { BaseStoreOptions, Clock, PruningStoreOptions } from '../types.js';
import { assertValidNamespace } from '../validate.js';
import { reportToWarnings } from './background.js';

/** The default namespace of every store. */
export const DEFAULT_NAMESPACE = 'sessions';
/** The default payload limit of every store (1 MiB of encoded data). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** The default bound on one operation, in ms. */
export const DEFAULT_OPERATION_TIMEOUT = 2000;
/** Node's timers hold at most 2^31 - 1 ms; a larger delay silently fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a store tells the kit about its backend. */
export interface StoreSpec {
  /** The package name every error carries as `source`, e.g. `@sessions/redis`. */
  source: string;
  /**
   * The largest encoded payload the backend can hold, in UTF-8 bytes, given the namespace
   * (a DynamoDB item holds the namespace too); `maxPayloadBytes` is capped by it.
   */
  payloadLimit?: number | ((namespace: string) => number);
  /** The default `pruneInterval` of a store with a background prune (default 60 000 ms). */
  pruneInterval?: number;
  /**
   * The default `maxInFlight` of a store whose client must not start thousands of operations at
   * once (see {@link InFlightOptions}). Without it, the store has no in-flight limit.
   */
  maxInFlight?: number;
}

/** How a `DriverStore` subclass builds its driver, from the resolved options. */
export type DriverFactory<D, Driver> = (options: ResolvedStoreOptions<D>) => Driver;

/** What `DriverStore`'s constructor needs beyond the options. */
export interface DriverStoreSetup<D, Driver> extends StoreSpec {
  /** Builds the driver once the shared options are resolved (the namespace is known). */
  driver: DriverFactory<D, Driver>;
  /**
   * Run the driver's `prepare()` before the first operation (default true). When false, it runs
   * only when the store calls `DriverStore.prepareNow` (e.g. an `ensureIndexes()`).
   */
  autoPrepare?: boolean;
  /** Whether the background prune runs (default true, for stores with `prune()`). */
  backgroundPrune?: boolean;
}

/**
 * The option of a store that declares {@link StoreSpec.maxInFlight}: its options extend this.
 *
 * @example
 * ```ts
 * export interface AcmeStoreOptions<D> extends BaseStoreOptions<D>, InFlightOptions {}
 * ```
 */
export interface InFlightOptions {
  /**
   * Most operations in flight at once (a page of a bulk operation counts as one). Further ones
   * wait in the store, within their `operationTimeout`, instead of all entering the client
   * together: a burst of thousands then completes steadily, and what cannot be served in time
   * is turned away early (`UNAVAILABLE`, an `OverloadError` as cause).
   */
  maxInFlight?: number;
}

/** The options after defaults: what the kit works with. */
export interface ResolvedStoreOptions<D> {
  /** The package name every error carries, from {@link StoreSpec.source}. */
  readonly source: string;
  /** The validated namespace (default `"sessions"`). */
  readonly namespace: string;
  /** The application clock that decides visibility (default `Date.now`). */
  readonly clock: Clock;
  /** The codec `data` is encoded with (default `jsonCodec`). */
  readonly codec: Codec<D>;
  /** The payload limit: the option (default 1 MiB), capped by the backend's `payloadLimit`. */
  readonly maxPayloadBytes: number;
  /** The bound on one operation (one page of a bulk operation), in ms (default 2000). */
  readonly operationTimeout: number;
  /** 0 when the store has no background prune, or it is turned off. */
  readonly pruneInterval: number;
  /** 0 when the store has no in-flight limit. */
  readonly maxInFlight: number;
  /** Where background failures go: the option, or rate-limited process warnings. */
  readonly onBackgroundError: (error: Error) => void;
}

/**
 * Apply the defaults and validate: a malformed option is a `TypeError` naming it, a bad
 * namespace `INVALID_KEY`. `pruning` says whether the store has a background prune.
 */
export function resolveStoreOptions<D>(
  options: PruningStoreOptions<D> | BaseStoreOptions<D> | undefined,
  spec: StoreSpec,
  pruning: boolean,
): ResolvedStoreOptions<D> {
  const { source } = spec;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`[${source}] options must be an object`);
  }
  const o = (options ?? {}) as PruningStoreOptions<D> & InFlightOptions;
  const namespace = o.namespace ?? DEFAULT_NAMESPACE;
  assertValidNamespace(namespace, source);
  const limit =
    typeof spec.payloadLimit === 'function'
      ? spec.payloadLimit(namespace)
      : (spec.payloadLimit ?? Number.POSITIVE_INFINITY);
  const requested = integerOption(o.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES, 'maxPayloadBytes', {
    source,
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
  });
  if (o.clock !== undefined && typeof o.clock !== 'function') {
    throw new TypeError(`[${source}] clock must be a function returning epoch milliseconds`);
  }
  if (o.codec !== undefined && !isCodec(o.codec)) {
    throw new TypeError(`[${source}] codec must have a name, encode() and decode()`);
  }
  if (o.onBackgroundError !== undefined && typeof o.onBackgroundError !== 'function') {
    throw new TypeError(`[${source}] onBackgroundError must be a function`);
  }
  if (!pruning && o.pruneInterval !== undefined) {
    throw new TypeError(`[${source}] this store has no background prune: remove pruneInterval`);
  }
  if (spec.maxInFlight === undefined && o.maxInFlight !== undefined) {
    throw new TypeError(`[${source}] this store has no in-flight limit: remove maxInFlight`);
  }
  return {
    source,
    namespace,
    clock: o.clock ?? Date.now,
    codec: o.codec ?? (jsonCodec as Codec<D>),
    maxPayloadBytes: Math.min(requested, limit),
    operationTimeout: integerOption(
      o.operationTimeout,
      DEFAULT_OPERATION_TIMEOUT,
      'operationTimeout',
      {
        source,
        min: 1,
        max: MAX_TIMER_MS,
      },
    ),
    pruneInterval: pruning
      ? integerOption(o.pruneInterval, spec.pruneInterval ?? 60_000, 'pruneInterval', {
          source,
          min: 0,
          max: MAX_TIMER_MS,
        })
      : 0,
    maxInFlight:
      spec.maxInFlight === undefined
        ? 0
        : integerOption(o.maxInFlight, spec.maxInFlight, 'maxInFlight', {
            source,
            min: 1,
            max: MAX_TIMER_MS,
          }),
    onBackgroundError: o.onBackgroundError ?? reportToWarnings(source),
  };
}

/**
 * Validate an integer option the way the kit validates its own: `value` undefined takes
 * `fallback`; anything else out of range is a `TypeError` naming the option.
 *
 * @example
 * ```ts
 * const wait = integerOption(options.tableWaitTimeout, 120_000, 'tableWaitTimeout', {
 *   source: '@acme/sessions', min: 1, max: MAX_TIMER_MS,
 * });
 * ```
 */
export function integerOption(
  value: unknown,
  fallback: number,
  name: string,
  range: { source: string; min: number; max: number },
): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < range.min || v > range.max) {
    throw new TypeError(
      `[${range.source}] ${name} must be an integer from ${range.min} to ${range.max}, got ${String(value)}`,
    );
  }
  return v;
}

/**
 * Validate an option that takes one of a few values (`'NORMAL' | 'FULL'`, or `true | false`):
 * `value` undefined takes `fallback`; anything else not in `choices` is a `TypeError` naming the
 * option and the choices.
 *
 * @example
 * ```ts
 * const createTable = choiceOption(options.createTable, true, 'createTable', [true, false], SOURCE);
 * ```
 */
export function choiceOption<T extends string | boolean>(
  value: unknown,
  fallback: T,
  name: string,
  choices: readonly T[],
  source: string,
): T {
  const v = value ?? fallback;
  if (!choices.includes(v as T)) {
    const list = choices.map((c) => (typeof c === 'string' ? `'${c}'` : String(c))).join(', ');
    throw new TypeError(`[${source}] ${name} must be one of ${list}, got ${String(value)}`);
  }
  return v as T;
}

/**
 * Check that exactly one of the options `names` is set (with `required: false`, at most one: a
 * store that can also build its client from the environment), and return its name. A
 * `TypeError` lists them otherwise.
 *
 * @example
 * ```ts
 * const given = oneOfOptions(options, ['client', 'url'], SOURCE); // 'client' | 'url'
 * ```
 */
export function oneOfOptions<K extends string>(
  options: Partial<Record<K, unknown>>,
  names: readonly K[],
  source: string,
  required = true,
): K | undefined {
  const given = names.filter((name) => options[name] !== undefined);
  if (given.length === 1 || (given.length === 0 && !required)) return given[0];
  const list = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  const got = given.length === 0 ? 'none' : given.join(' and ');
  throw new TypeError(
    `[${source}] give ${required ? 'exactly' : 'at most'} one of ${list} (got ${got})`,
  );
}

function isCodec(value: unknown): value is Codec {
  const c = value as Partial<Codec> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.name === 'string' &&
    typeof c.encode === 'function' &&
    typeof c.decode === 'function'
  );
}

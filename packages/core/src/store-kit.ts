/**
 * Building blocks for store implementations: option defaults, encoding with limits, the
 * closed-state guard and error wrapping. Every built-in store uses them, so the rules live once.
 */
import { type Codec, jsonCodec } from './codec.js';
import {
  ClosedError,
  CorruptError,
  isSessionError,
  SerializeError,
  type SessionError,
  TooLargeError,
  UnavailableError,
} from './errors.js';
import type { BaseStoreOptions, Clock } from './types.js';
import { assertValidNamespace } from './validate.js';

/** The default namespace of every store. */
export const DEFAULT_NAMESPACE = 'sessions';
/** The default payload limit of every store (1 MiB of encoded data). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Options after defaults: what a store works with. */
export interface ResolvedStoreOptions<D> {
  /** The package name errors carry, e.g. `@sessions/redis`. */
  source: string;
  namespace: string;
  clock: Clock;
  codec: Codec<D>;
  maxPayloadBytes: number;
}

/**
 * Apply defaults to {@link BaseStoreOptions} and validate them.
 *
 * @param backendLimit - the largest payload the backend can hold; `maxPayloadBytes` is capped by it.
 */
export function resolveStoreOptions<D>(
  options: BaseStoreOptions<D> | undefined,
  source: string,
  backendLimit = Number.POSITIVE_INFINITY,
): ResolvedStoreOptions<D> {
  const namespace = options?.namespace ?? DEFAULT_NAMESPACE;
  assertValidNamespace(namespace, source);
  const requested = options?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (!Number.isSafeInteger(requested) || requested <= 0) {
    throw new TypeError(`[${source}] maxPayloadBytes must be a positive integer`);
  }
  return {
    source,
    namespace,
    clock: options?.clock ?? Date.now,
    codec: options?.codec ?? (jsonCodec as Codec<D>),
    maxPayloadBytes: Math.min(requested, backendLimit),
  };
}

/**
 * Encode `data` with the store's codec and enforce its payload limit.
 * Throws `SerializeError` (the codec failed) or `TooLargeError`.
 */
export function encodeData<D>(opts: ResolvedStoreOptions<D>, data: D): string {
  let text: string;
  try {
    text = opts.codec.encode(data);
  } catch (err) {
    throw new SerializeError(
      opts.source,
      `the ${opts.codec.name} codec cannot encode this data: ${(err as Error)?.message ?? err}`,
      { cause: err },
    );
  }
  if (typeof text !== 'string') {
    throw new SerializeError(opts.source, `the ${opts.codec.name} codec did not return a string`);
  }
  // UTF-16 length bounds UTF-8 length from below; only measure exactly when it might matter.
  if (text.length * 3 > opts.maxPayloadBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > opts.maxPayloadBytes)
      throw new TooLargeError(opts.source, bytes, opts.maxPayloadBytes);
  }
  return text;
}

/** Decode stored text with the store's codec. Throws `CorruptError` if it does not decode. */
export function decodeData<D>(opts: ResolvedStoreOptions<D>, text: unknown, key?: string): D {
  if (typeof text !== 'string') {
    throw new CorruptError(opts.source, `the stored session${where(key)} is not a string`);
  }
  try {
    return opts.codec.decode(text);
  } catch (err) {
    throw new CorruptError(
      opts.source,
      `the stored session${where(key)} does not decode with the ${opts.codec.name} codec`,
      { cause: err },
    );
  }
}

/** The key part of a message; built only for an error, never on every read. */
function where(key: string | undefined): string {
  return key === undefined ? '' : ` under key "${key}"`;
}

/**
 * Tracks whether a store is closed. `assertOpen()` throws `ClosedError`; `close()` returns
 * true only the first time, so a store's `close()` can be called twice safely.
 */
export class StoreLifecycle {
  #closed = false;
  constructor(private readonly source: string) {}

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Throw `ClosedError` when the store is closed. */
  assertOpen(): void {
    if (this.#closed) throw new ClosedError(this.source);
  }

  /** Mark closed; true the first time, false after. */
  close(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    return true;
  }
}

/**
 * Pass `SessionError`s through; wrap anything else (a driver error) as `UnavailableError`
 * with the original as `cause`.
 */
export function toSessionError(err: unknown, source: string, operation: string): SessionError {
  if (isSessionError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new UnavailableError(source, `${operation} failed: ${detail}`, { cause: err });
}

/**
 * The error of an operation that ran out of time: `UNAVAILABLE`, with a `TimeoutError` as its
 * cause (the same name `AbortSignal.timeout()` uses), so callers can tell "timed out" from
 * "refused". For stores that run their own deadline (to cancel a request, say) and must fail
 * exactly as {@link withDeadline} does.
 *
 * @example
 * ```ts
 * const timer = setTimeout(() => reject(deadlineExceeded('@sessions/acme', 'get', 2000)), 2000);
 * ```
 */
export function deadlineExceeded(source: string, operation: string, ms: number): UnavailableError {
  // A plain Error named TimeoutError: a DOMException costs several times more to build, and
  // under a burst thousands of operations time out in the same tick.
  const cause = Object.assign(new Error(`${operation} timed out after ${ms} ms`), {
    name: 'TimeoutError',
  });
  return new UnavailableError(source, `${operation} did not complete within ${ms} ms`, { cause });
}

/**
 * Reject with `UnavailableError` if `promise` does not settle within `ms`. The bound that keeps
 * an operation from waiting forever when a driver's own timeouts do not cover a case.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  source: string,
  operation: string,
): Promise<T> {
  // One promise and one timer: this wraps every store operation, so it stays cheap.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(deadlineExceeded(source, operation, ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

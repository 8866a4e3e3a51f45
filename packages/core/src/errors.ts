/**
 * Typed errors with stable codes. Callers switch on `code`, never on messages; the driver
 * error, when there is one, rides along as `cause`.
 */

/** Every code a {@link SessionError} can carry. Stable across releases. */
export type SessionErrorCode =
  | 'INVALID_KEY'
  | 'INVALID_RECORD'
  | 'CONFLICT'
  | 'TOO_LARGE'
  | 'SERIALIZE'
  | 'CORRUPT'
  | 'UNAVAILABLE'
  | 'CLOSED'
  | 'NOT_IMPLEMENTED';

/**
 * Base class of every error thrown by a sessions package.
 *
 * @example
 * ```ts
 * try { await store.set(key, record, { ifVersion: 3 }); }
 * catch (err) { if (isSessionError(err, 'CONFLICT')) reload(); else throw err; }
 * ```
 */
export class SessionError extends Error {
  /** The stable machine-readable code. */
  readonly code: SessionErrorCode;
  /** The package that threw, e.g. `@sessions/redis`. */
  readonly source: string;

  constructor(code: SessionErrorCode, source: string, message: string, options?: ErrorOptions) {
    super(`[${source}] ${message}`, options);
    this.code = code;
    this.source = source;
    this.name = new.target.name;
  }
}

/** A key (or userId) that is empty, too long, not a string, or has forbidden characters. */
export class InvalidKeyError extends SessionError {
  constructor(source: string, message: string) {
    super('INVALID_KEY', source, message);
  }
}

/** A record or argument of the wrong shape (e.g. `expiresAt` not a finite number). */
export class InvalidRecordError extends SessionError {
  constructor(source: string, message: string) {
    super('INVALID_RECORD', source, message);
  }
}

/** A compare-and-set found another version than the one expected; nothing was changed. */
export class ConflictError extends SessionError {
  constructor(source: string, message = 'the stored version does not match ifVersion') {
    super('CONFLICT', source, message);
  }
}

/** The encoded payload is larger than the store accepts. */
export class TooLargeError extends SessionError {
  constructor(source: string, bytes: number, limit: number) {
    super('TOO_LARGE', source, `encoded session data is ${bytes} bytes; the limit is ${limit}`);
  }
}

/** The codec cannot encode the data (circular, a function, BigInt under JSON...). */
export class SerializeError extends SessionError {
  constructor(source: string, message: string, options?: ErrorOptions) {
    super('SERIALIZE', source, message, options);
  }
}

/** Stored bytes that do not decode. Reported, never a crash, never a polluted object. */
export class CorruptError extends SessionError {
  constructor(source: string, message: string, options?: ErrorOptions) {
    super('CORRUPT', source, message, options);
  }
}

/** The backend is down, unreachable or timed out. The driver error is the `cause`. */
export class UnavailableError extends SessionError {
  constructor(source: string, message: string, options?: ErrorOptions) {
    super('UNAVAILABLE', source, message, options);
  }
}

/** The store was used after `close()`. */
export class ClosedError extends SessionError {
  constructor(source: string) {
    super('CLOSED', source, 'the store is closed');
  }
}

/** A contract method a scaffolded store has not implemented yet. */
export class NotImplementedError extends SessionError {
  constructor(source: string, method: string) {
    super('NOT_IMPLEMENTED', source, `${method}() is not implemented yet`);
  }
}

/**
 * True when `err` is a {@link SessionError}, optionally with the given code. Works across
 * copies of the package (checks the shape, not only `instanceof`).
 */
export function isSessionError(err: unknown, code?: SessionErrorCode): err is SessionError {
  // Anything can be thrown: a revoked Proxy throws on `instanceof`, a getter on `.code`.
  try {
    if (!(err instanceof Error)) return false;
    const c = (err as Partial<SessionError>).code;
    const s = (err as Partial<SessionError>).source;
    if (typeof c !== 'string' || typeof s !== 'string') return false;
    return code === undefined || c === code;
  } catch {
    return false;
  }
}

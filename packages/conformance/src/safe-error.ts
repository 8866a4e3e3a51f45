/**
 * Turning whatever a store threw into an `Error` the suite can report. A store under test may
 * reject with anything: `Object.create(null)`, a revoked Proxy, an Error whose `message` getter
 * throws. Reading such a value carelessly throws again and loses every result of the run.
 */
import { describeError } from '@sessions/core/kit';

/** Whether `err` is an `Error` whose `message` can be read (`instanceof` may throw on a Proxy). */
function isReadableError(err: unknown): err is Error {
  try {
    return err instanceof Error && typeof err.message === 'string';
  } catch {
    return false;
  }
}

/**
 * `err` itself when it is a readable `Error`, else a new `Error` describing it (without the
 * original as `cause`: a reporter printing the cause would meet the same trap).
 */
export function asError(err: unknown): Error {
  if (isReadableError(err)) return err;
  return new Error(`the store threw something that is not a readable Error: ${describeError(err)}`);
}

/**
 * The one place where a failure becomes what the caller sees. Every store built on the kit
 * reports failures through here, so the rules hold everywhere:
 * - a `SessionError` (from validation, the codec, a compare-and-set) passes through;
 * - what the driver recognises is reported its way (see `ErrorKind`);
 * - programmer errors (`TypeError`, `RangeError`, `ReferenceError`, `SyntaxError`) are rethrown
 *   as they are: a bug must not look like an outage (a middleware would answer 503 and retry);
 * - anything else is the backend failing: `UNAVAILABLE`, with the original as `cause`.
 */
import { CorruptError, isSessionError, UnavailableError } from '../errors.js';
import type { ErrorKind } from './driver.js';
import { OverloadError } from './in-flight-limit.js';

/** Whether `err` is a defect in code rather than a failure of the backend. */
export function isProgrammerError(err: unknown): boolean {
  try {
    return (
      err instanceof TypeError ||
      err instanceof RangeError ||
      err instanceof ReferenceError ||
      err instanceof SyntaxError
    );
  } catch {
    // A revoked Proxy throws on `instanceof`: not a defect of ours, an odd value thrown.
    return false;
  }
}

/**
 * A one-line description of anything thrown, that cannot itself throw: a `null`-prototype
 * object, a revoked Proxy or a throwing `message` getter still give a readable line.
 */
export function describeError(err: unknown): string {
  try {
    if (err instanceof Error) return String(err.message);
    // Stryker disable next-line ConditionalExpression,StringLiteral: String() of a string is the same string (a shortcut)
    if (typeof err === 'string') return err;
    return String(err);
  } catch {
    try {
      return `a ${typeof err} that cannot be described`;
    } catch {
      // Stryker disable next-line StringLiteral: unreachable: typeof never throws, nor does a template of its result
      return 'an error that cannot be described';
    }
  }
}

/**
 * What the caller of `operation` gets for `err`. `classify` is the driver's own reading of its
 * client library's errors; it is asked first.
 */
export function toFailure(
  err: unknown,
  source: string,
  operation: string,
  classify?: (error: unknown) => ErrorKind | undefined,
): unknown {
  if (isSessionError(err)) return err;
  let kind: ErrorKind | undefined;
  try {
    // The kit's own refusal (the in-flight limit's) is not the driver's to classify.
    // Stryker disable next-line StringLiteral,OptionalChaining: an unknown kind, and a missing classify (it throws into the catch), leave the same default: unavailable
    kind = err instanceof OverloadError ? 'unavailable' : classify?.(err);
  } catch {
    // A classifier (or `instanceof`) that trips over an odd error leaves it to the defaults.
  }
  if (typeof kind === 'object') return kind;
  // Stryker disable next-line StringLiteral: every kind but bug and corrupt is reported as unavailable
  kind ??= isProgrammerError(err) ? 'bug' : 'unavailable';
  if (kind === 'bug') return err;
  const detail = describeError(err);
  if (kind === 'corrupt') {
    return new CorruptError(
      source,
      `${operation}: the backend holds something that is not a session (${detail})`,
      { cause: err },
    );
  }
  return new UnavailableError(source, `${operation} failed: ${detail}`, { cause: err });
}

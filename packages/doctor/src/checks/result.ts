/** Builders of {@link CheckResult}s, so every check reads `fail(id, what, fix)`. */
import { describeError as describeSafely } from '@sessions/core/kit';
import type { CheckResult } from '../types.js';

/** A passing check. */
export function pass(id: string, message: string): CheckResult {
  return { id, status: 'pass', message, fix: '' };
}

/** A risk or trade-off the user should know about. */
export function warn(id: string, message: string, fix: string): CheckResult {
  return { id, status: 'warn', message, fix };
}

/** Something that breaks sessions. */
export function fail(id: string, message: string, fix: string): CheckResult {
  return { id, status: 'fail', message, fix };
}

/** The message of an unknown thrown value (described safely, as the kit does), on one line. */
export function describeError(error: unknown): string {
  return describeSafely(error).replace(/\s*\n\s*/g, ' ');
}

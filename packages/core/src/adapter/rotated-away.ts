/** The answer to a request that still carried a session token a login had rotated away. */
import { ConflictError } from '../errors.js';

/**
 * The `ConflictError` for a request whose handler wrote to a session while its token had been
 * rotated away (a login or privilege change on the same browser, within `rotationGrace`): the
 * browser already holds the successor, so a session this request started is neither stored
 * nor sent (its cookie, arriving after the login's, would log the user out). Every framework
 * answers it as any conflict (409); `source` names the package raising it.
 *
 * @example
 * ```ts
 * if (missReason === 'rotated' && sessionChanged) throw rotatedAwayConflict('@acme/koa-sessions');
 * ```
 */
export function rotatedAwayConflict(source: string): ConflictError {
  return new ConflictError(
    source,
    'the session cookie was rotated (by a login or a privilege change) while this request was in flight; nothing was written',
  );
}

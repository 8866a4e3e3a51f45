/**
 * How failures reach callers: always a typed `SessionError` with this package as `source`,
 * the driver error as `cause`.
 */
import { CorruptError, type SessionError, toSessionError, UnavailableError } from '@sessions/core';
import type { Connection } from './connection.js';

/** The name every error of this package carries as `source`. */
export const SOURCE = '@sessions/redis';

/** A driver failure as a typed error: a key of another Redis type is corrupt data, not an outage. */
export function typedError(err: unknown, operation: string): SessionError {
  if (err instanceof Error && err.message.startsWith('WRONGTYPE')) {
    return new CorruptError(
      SOURCE,
      `${operation}: a key of this namespace holds another Redis type`,
      {
        cause: err,
      },
    );
  }
  return toSessionError(err, SOURCE, operation);
}

/** The fast failure while the client is reconnecting, with the last connection error as cause. */
export function unreachable(operation: string, connection: Connection): UnavailableError {
  const cause = connection.lastError ?? new Error('the ioredis client is reconnecting');
  return new UnavailableError(
    SOURCE,
    `${operation} failed: Redis is unreachable (${cause.message})`,
    {
      cause,
    },
  );
}

/** Our stores used directly, as a library author calls them: no framework, no ID hashing. */
import type { SessionStore } from '@sessions/core';
import { expiryFromNow, SESSION_DATA } from './sessions.js';
import type { Target } from './target.js';

/** A `@sessions` store as a {@link Target}: the session ID is the key. */
export function directTarget(store: SessionStore<Record<string, unknown>>): Target {
  return {
    get: (sid) => store.get(sid),
    set: (sid) => store.set(sid, { data: SESSION_DATA, expiresAt: expiryFromNow() }),
    touch: (sid) => store.touch(sid, expiryFromNow()),
    delete: (sid) => store.delete(sid),
  };
}

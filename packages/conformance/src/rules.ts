/**
 * The rules the suite enforces, each with a stable id that every check names. The store
 * contract's rules are explained in docs/contract.md; the session manager's (`MANAGER-*`,
 * proved on every store through `createSessionManager`) in this package's README and in
 * docs/security.md.
 */

/** Every rule, by id, with a one-line statement. */
export const RULES = {
  /** Reads and writes. */
  CRUD: 'get, set and delete do what they say',
  /** Expiry: the boundary instant. */
  'TTL-1': 'a record is live iff now < expiresAt; at now == expiresAt it is expired',
  /** Expiry: whose clock counts. */
  'TTL-2': 'the application clock decides visibility, whatever the backend still holds',
  /** Expiry: writes into the past. */
  'TTL-3': 'setting a record with expiresAt <= now deletes it and stores nothing',
  /** Expiry: touch. */
  'TTL-4': 'touch moves the expiry of a live record and never creates or resurrects one',
  /** Expiry: physical removal. */
  'TTL-5': 'expired records are physically removed: by native expiry, prune(), or both',
  /** Versions. */
  'CAS-1': 'a version is 1 on creation and +1 on every write; touch keeps it',
  /** Compare-and-set: the match. */
  'CAS-2': 'set with ifVersion writes only on a match, else throws CONFLICT and changes nothing',
  /** Compare-and-set: atomicity. */
  'CAS-3': 'compare-and-set is atomic: concurrent writers never both win',
  /** User index: listing. */
  'USER-1': "listByUser returns exactly the user's live sessions",
  /** User index: deleting. */
  'USER-2': "deleteByUser removes the user's sessions (but except) and counts the live ones",
  /** User index: kept in step with writes. */
  'USER-3': 'the user index follows every write: re-owning, dropping the owner, deleting',
  /** Listing a namespace. */
  'LIST-1': 'list() returns every live session of the namespace, and only those',
  /** Namespace isolation. */
  'NS-1': 'a store sees and clears only its own namespace; stores on one namespace share it',
  /** Input: keys. */
  'INPUT-1': 'a bad key is rejected with INVALID_KEY by every method, and nothing is stored',
  /** Input: user ids. */
  'INPUT-2': 'a bad userId is rejected with INVALID_KEY, and nothing is stored',
  /** Input: records. */
  'INPUT-3': 'a bad record, expiresAt or ifVersion is rejected with INVALID_RECORD',
  /** Data: the round trip. */
  'DATA-1': 'data round-trips through the codec exactly',
  /** Data: the size limit. */
  'DATA-2': 'encoded data over maxPayloadBytes is rejected with TOO_LARGE, and nothing is stored',
  /** Data: what the codec refuses. */
  'DATA-3': 'data the codec cannot encode is rejected with SERIALIZE, and nothing is stored',
  /** Data: no shared objects. */
  'DATA-4': 'data is copied in and out: no caller shares an object with the store',
  /** Corrupt bytes: reported. */
  'CORRUPT-1': 'stored bytes that do not decode are reported as CORRUPT, never a crash',
  /** Corrupt bytes: no prototype pollution. */
  'CORRUPT-2': 'decoding never pollutes a prototype',
  /** Lifecycle: close. */
  'LIFE-1': 'after close() every method rejects with CLOSED; close() twice is fine',
  /** Lifecycle: clear. */
  'LIFE-2': 'clear() empties the namespace',
  /** Manager: unknown tokens. */
  'MANAGER-1': 'a token the server never issued is never adopted, stored, or hashed into a key',
  /** Manager: regenerate. */
  'MANAGER-2': 'regenerate moves the data to a new token and leaves the old token dead',
  /** Manager: no resurrection. */
  'MANAGER-3': 'an ended session stays ended: no save already on its way brings it back',
  /** Manager: concurrent saves. */
  'MANAGER-4': 'concurrent saves of one session never lose an update: one wins, one conflicts',
  /** Manager: a user's sessions. */
  'MANAGER-5': "a user's sessions are listed by handle, never token, and ended one or all at once",
  /** Manager: timeouts. */
  'MANAGER-6': 'idle and absolute timeouts end a session exactly on time, whatever the touches',
  /** Manager: hashed tokens. */
  'MANAGER-7': 'tokens are stored hashed: a copy of the backend holds no usable token',
} as const;

/** The id of a contract rule, e.g. `'TTL-3'`. */
export type RuleId = keyof typeof RULES;

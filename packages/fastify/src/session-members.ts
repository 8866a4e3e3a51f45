/**
 * The names @fastify/session's `Session` uses for itself, which a stored session must not hold.
 *
 * A restored Session copies every stored field onto itself, so a stored field named like one
 * of its methods shadows the method. The plugin then calls a number: `isModified()` and
 * `save()` in its `onSend` hook (an error response), but `regenerate()` inside the store's
 * `get` callback when the restored cookie has already expired, where a throw is an uncaught
 * exception that ends the process. No app can store such a field through the plugin (it would
 * break its own session first), so a record holding one was written by someone else.
 */

/** The members of @fastify/session 11's `Session` (its methods and accessors). */
const SESSION_MEMBERS: ReadonlySet<string> = new Set([
  'options',
  'touch',
  'regenerate',
  'get',
  'set',
  'destroy',
  'reload',
  'save',
  'sessionId',
  'encryptedSessionId',
  'isModified',
  'isSaved',
]);

/**
 * The first field of `session` that would shadow a member of @fastify/session's `Session`,
 * or `undefined` when there is none.
 *
 * @example
 * ```ts
 * shadowedMember({ userId: 'ada', regenerate: 1 }); // 'regenerate'
 * shadowedMember({ userId: 'ada' }); // undefined
 * ```
 */
export function shadowedMember(session: object): string | undefined {
  return Object.keys(session).find((field) => SESSION_MEMBERS.has(field));
}

/** The owner of a framework session, for the store's user index. */

/** Where the owner is: a top-level field name of the session, or a function of it. */
export type OwnerOption<S> = string | ((session: S) => unknown);

/**
 * A function returning the owner of a session: the field `userId` (a name, default
 * `"userId"`, or a function) when it is a non-empty string, else `undefined` (no owner, the
 * session is not in the user index).
 *
 * @example
 * ```ts
 * const ownerOf = ownerLookup<{ user?: { id: string } }>((s) => s.user?.id);
 * ownerOf({ user: { id: 'u1' } }); // 'u1'
 * ownerOf({}); // undefined
 * ```
 */
export function ownerLookup<S>(
  userId: OwnerOption<S> = 'userId',
): (session: S) => string | undefined {
  if (typeof userId !== 'function' && typeof userId !== 'string') {
    throw new TypeError(`userId must be a field name or a function, got ${typeof userId}`);
  }
  const read =
    typeof userId === 'function'
      ? userId
      : (session: S) => (session as Record<string, unknown> | null)?.[userId];
  return (session) => {
    const owner = read(session);
    return typeof owner === 'string' && owner.length > 0 ? owner : undefined;
  };
}

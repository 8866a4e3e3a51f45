import type { SessionEvent, SessionManager } from '../../src/index.js';

/** One line of the audit log. */
export interface AuditEntry {
  at: string;
  event: string;
  session?: string;
  user?: string;
  detail?: string;
}

/** Write session creation and termination (and misses worth a look) to an audit log. */
export function auditSessions(
  manager: SessionManager<unknown>,
  write: (entry: AuditEntry) => void,
): () => void {
  const log = (event: string, fields: Omit<AuditEntry, 'at' | 'event'>) =>
    write({ at: new Date().toISOString(), event, ...fields });
  const stops = [
    manager.on('created', (e) => log('session.created', { session: e.handle, user: e.userId })),
    manager.on('rotated', (e) =>
      log('session.rotated', { session: e.handle, user: e.userId, detail: e.previousHandle }),
    ),
    manager.on('destroyed', (e) => log('session.ended', { session: e.handle, user: e.userId })),
    manager.on('revoked', (e) =>
      log('session.revoked', {
        session: e.handle,
        user: e.userId,
        detail: `${e.scope}:${e.count}`,
      }),
    ),
    // Expiry and revocation seen from the client's side; a flood of `not-found` is token guessing.
    manager.on('miss', (e: SessionEvent<'miss'>) => {
      if (e.reason !== 'no-cookie') log('session.miss', { session: e.handle, detail: e.reason });
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

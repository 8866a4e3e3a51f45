import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSessionManager, MemoryStore } from '../../src/index.js';

interface AppSession {
  visits: number;
}

export const sessions = createSessionManager<AppSession>({
  store: new MemoryStore(),
  idleTimeout: 30 * 60_000, // 30 minutes without a request ends the session
  absoluteTimeout: 8 * 60 * 60_000, // 8 hours after login it ends anyway
});

export async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const presented = sessions.readToken(req.headers.cookie);
  let session = (await sessions.load(presented)) ?? sessions.create({ data: { visits: 0 } });

  if (req.url === '/logout') {
    await sessions.destroy(session);
    res.setHeader('Set-Cookie', sessions.clearCookie());
    res.end('bye');
    return;
  }
  if (req.url === '/login') {
    // (check the password first) A new token at login: one planted before it is worthless.
    session =
      (await sessions.regenerate(session, { userId: 'alice' })) ??
      sessions.create({ data: { visits: 0 }, userId: 'alice' });
  }

  session.data.visits += 1;
  const result = await sessions.save(session);
  if (result.status === 'destroyed') {
    res.setHeader('Set-Cookie', sessions.clearCookie()); // logged out elsewhere meanwhile
  } else if (session.token !== presented) {
    res.setHeader('Set-Cookie', sessions.serializeCookie(session));
  }
  res.end(`visits: ${session.data.visits}`);
}

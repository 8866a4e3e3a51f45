// Helpers shared by the compatibility suite's files.
import type { SessionData } from 'express-session';
import type { ExpressSessionStore } from '../../src/index.js';

export const MINUTE = 60_000;

/** What express-session hands a store: its cookie fields, and the session's own. */
export function sessionData(
  fields: Record<string, unknown> = {},
  expires = Date.now() + 30 * MINUTE,
): SessionData {
  return {
    cookie: { originalMaxAge: 30 * MINUTE, expires: new Date(expires), httpOnly: true, path: '/' },
    ...fields,
  } as unknown as SessionData;
}

/** Call a callback-style method; resolve with every argument its callback got. */
export function viaCallback(run: (callback: (...args: unknown[]) => void) => void) {
  return new Promise<unknown[]>((resolve) => run((...args) => resolve(args)));
}

/** The stored session as plain fields. */
export async function fieldsOf(adapter: ExpressSessionStore, sid: string) {
  return (await adapter.get(sid)) as unknown as Record<string, unknown> | null;
}

/** The session ID in a signed `connect.sid` Set-Cookie header, if any. */
export function sidIn(setCookie: unknown): string | undefined {
  const header = ([] as string[])
    .concat((setCookie as string[] | undefined) ?? [])
    .find((c) => c.startsWith('connect.sid='));
  if (!header) return undefined;
  const value = decodeURIComponent(header.slice('connect.sid='.length).split(';')[0] ?? '');
  return value.slice(2, value.lastIndexOf('.'));
}

/** What a throw inside a callback turned into: an uncaught exception or an unhandled rejection. */
export async function whereThrowsLand(
  run: () => void,
): Promise<{ uncaught: unknown[]; rejected: unknown[] }> {
  const caught = { uncaught: [] as unknown[], rejected: [] as unknown[] };
  // vitest's own listeners would fail the run: step in front of them for a moment.
  const vitestUncaught = process.listeners('uncaughtException');
  const vitestRejected = process.listeners('unhandledRejection');
  process.removeAllListeners('uncaughtException').removeAllListeners('unhandledRejection');
  process.on('uncaughtException', (err) => caught.uncaught.push(err));
  process.on('unhandledRejection', (err) => caught.rejected.push(err));
  try {
    run();
    // Wait for the throw (a store on a loaded machine can take a while), then a little more
    // for anything that would follow it.
    for (
      let waited = 0;
      waited < 5000 && !caught.uncaught.length && !caught.rejected.length;
      waited += 10
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.removeAllListeners('uncaughtException').removeAllListeners('unhandledRejection');
    for (const listener of vitestUncaught) process.on('uncaughtException', listener);
    for (const listener of vitestRejected) process.on('unhandledRejection', listener);
  }
  return caught;
}

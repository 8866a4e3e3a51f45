/**
 * Stores driven at the store-interface level, as their framework drives them: the callbacks,
 * the framework's own Session and Cookie objects, the cookie expiry reset before each save
 * or touch. No HTTP: a request's parsing, routing and cookie signing would cost every row the
 * same and hide the differences between stores.
 */
import { createRequire } from 'node:module';
import type { SessionStore } from '@sessions/core';
import { ExpressSessionStore } from '@sessions/express';
import { FastifySessionStore } from '@sessions/fastify';
import session, { type SessionData } from 'express-session';
import { APP_DATA, COOKIE_OPTIONS } from './sessions.js';
import type { Target } from './target.js';

/** A Node-style callback API as a promise. */
function call<T>(start: (callback: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    start((err, value) => (err ? reject(err) : resolve(value as T))),
  );
}

type ExpressSession = session.Session & SessionData;
// The typings hide the constructors express-session's generate() and createSession() use.
const ExpressCookie = session.Cookie as unknown as new (options: object) => session.Cookie;
const ExpressSessionClass = session.Session as unknown as new (
  req: object,
  data?: object,
) => ExpressSession;

/** The request fields express-session's Session and `createSession` read. */
function expressRequest(sid: string): Parameters<session.Store['createSession']>[0] {
  return { sessionID: sid } as Parameters<session.Store['createSession']>[0];
}

/**
 * An express-session `Store` (ours through `ExpressSessionStore`, or a peer), called as
 * express-session calls it:
 * - get: `store.get(sid, cb)`, then `store.createSession(req, sess)`, as on every request;
 * - set: `req.session.touch()` (the cookie's expiry moves on), then `store.set(sid, req.session,
 *   cb)` of the Session built from an earlier `get`: a session edited and saved;
 * - touch: `req.session.touch()`, then `store.touch(sid, req.session, cb)`: an unchanged
 *   session of a rolling cookie;
 * - delete: `store.destroy(sid, cb)`.
 */
export function expressTarget(store: session.Store): Target {
  const loaded = new Map<string, ExpressSession>();
  const load = (sid: string) =>
    call<SessionData | null | undefined>((cb) => store.get(sid, cb)).then((sess) =>
      sess ? store.createSession(expressRequest(sid), sess) : null,
    );
  // A new session, as express-session's generate() makes one and the app fills it.
  const fresh = (sid: string) => {
    const created = new ExpressSessionClass(expressRequest(sid));
    created.cookie = new ExpressCookie(COOKIE_OPTIONS);
    Object.assign(created, APP_DATA);
    loaded.set(sid, created);
    return created;
  };
  // The typings give touch a callback without an error; express-session passes one.
  const touchFn = store.touch?.bind(store) as
    | ((sid: string, sess: SessionData, callback: (err?: unknown) => void) => void)
    | undefined;
  return {
    get: load,
    async prime(sid) {
      const sess = await load(sid);
      if (sess) loaded.set(sid, sess);
    },
    set(sid) {
      const sess = loaded.get(sid) ?? fresh(sid);
      sess.touch();
      return call((cb) => store.set(sid, sess, cb));
    },
    touch: touchFn
      ? (sid) => {
          const sess = loaded.get(sid) ?? fresh(sid);
          sess.touch();
          return call((cb) => touchFn(sid, sess, cb));
        }
      : undefined,
    delete(sid) {
      loaded.delete(sid);
      return call((cb) => store.destroy(sid, cb));
    },
  };
}

/** The store protocol @fastify/session calls: get, set and destroy, with callbacks. */
export interface FastifyStoreLike {
  get(sid: string, callback: (err: unknown, session?: unknown) => void): void;
  set(sid: string, session: object, callback: (err?: unknown) => void): void;
  destroy(sid: string, callback: (err?: unknown) => void): void;
}

interface FastifySession {
  touch(): void;
}
type FastifySessionClass = new (
  store: FastifyStoreLike,
  request: object,
  idGenerator: () => string,
  cookieOptions: object,
  cookieSigner: { sign(value: string): string },
  previous?: unknown,
  sessionId?: string,
) => FastifySession;

// Not exported by the package: its Session is what the plugin hands the store on save.
const FastifySessionImpl = createRequire(import.meta.url)(
  '@fastify/session/lib/session.js',
) as FastifySessionClass;
const signer = { sign: (value: string) => `${value}.signature` };
const noId = () => {
  throw new Error('the benchmark names every session');
};

/**
 * A @fastify/session store (ours through `FastifySessionStore`, or the plugin's default),
 * called as the plugin calls it:
 * - get: `store.get(sid, cb)` (the plugin then rebuilds a Session from it: not measured);
 * - set: `session.touch()`, then `store.set(sid, session, cb)` of a Session the plugin
 *   rebuilt from an earlier `get` (with `rolling`, its default, every request saves);
 * - no touch: @fastify/session's store protocol has none (a rolling session is saved);
 * - delete: `store.destroy(sid, cb)`.
 */
export function fastifyTarget(store: FastifyStoreLike): Target {
  const loaded = new Map<string, FastifySession>();
  const request = { protocol: 'https' };
  const build = (sid: string, previous?: unknown) => {
    const built = new FastifySessionImpl(
      store,
      request,
      noId,
      COOKIE_OPTIONS,
      signer,
      previous,
      sid,
    );
    if (!previous) Object.assign(built, APP_DATA);
    loaded.set(sid, built);
    return built;
  };
  const get = (sid: string) => call<unknown>((cb) => store.get(sid, cb));
  return {
    get,
    async prime(sid) {
      const stored = await get(sid);
      if (stored) build(sid, stored);
    },
    set(sid) {
      const sess = loaded.get(sid) ?? build(sid);
      sess.touch();
      return call((cb) => store.set(sid, sess, cb));
    },
    delete(sid) {
      loaded.delete(sid);
      return call((cb) => store.destroy(sid, cb));
    },
  };
}

/**
 * The two rows of our adapters every backend has: `viaExpress` through the Express adapter,
 * `viaFastify` through the Fastify one (each its own store, so neither sees the other's keys).
 */
export function ourAdapterTargets(
  viaExpress: SessionStore<Record<string, unknown>>,
  viaFastify: SessionStore<Record<string, unknown>>,
): Array<[name: string, target: Target]> {
  return [
    [
      'express: ours (ExpressSessionStore)',
      expressTarget(new ExpressSessionStore({ store: viaExpress })),
    ],
    [
      'fastify: ours (FastifySessionStore)',
      fastifyTarget(new FastifySessionStore({ store: viaFastify })),
    ],
  ];
}

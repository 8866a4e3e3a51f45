/**
 * The clients: a bounded loop each (one request in flight per client, a pause between
 * requests), so the load is exactly `clients` concurrent users and never a pile-up of
 * unanswered requests.
 *
 * A client on its own session logs in, updates its counter and reads it back a few times,
 * logs out, and starts again as a new user: it knows at every step who it is and what its
 * counter holds, so a response served anonymously or as someone else (`lost-session`) or with
 * a counter that missed an acknowledged update (`lost-update`) is caught. A small group of
 * clients shares one cookie on purpose: their 409s (CONFLICT) are expected.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CookieJar } from './cookie-jar.js';
import type { HttpClient, HttpResponse, RequestSpec } from './http-client.js';
import type { Protocol, SessionView } from './protocols.js';
import type { Tally } from './tally.js';

/** Clients sharing one session cookie, per group. */
export const SHARED_GROUP_SIZE = 5;
/** Updates (each followed by a read) between a login and its logout. */
export const UPDATES_PER_LOGIN = 10;

/** How the clients run. */
export interface ClientsOptions {
  http: HttpClient;
  protocol: Protocol;
  tally: Tally;
  /** Concurrent clients in all, the shared groups included. */
  clients: number;
  /** How many groups of {@link SHARED_GROUP_SIZE} clients share a cookie. */
  sharedGroups: number;
  /** Mean pause between a client's requests (each is 0.5–1.5 × this). */
  thinkMs: number;
  /** Clients start spread over this long, so the run does not open with every login at once. */
  rampMs: number;
  /** `performance.now()` after which no client starts another request. */
  until: number;
}

interface Context extends ClientsOptions {
  over(): boolean;
}

/** A client's pause (0.5–1.5 × `mean`), cut short at the end of the run; true while it goes on. */
async function pause(ctx: Context, mean: number): Promise<boolean> {
  const ms = Math.min(mean * (0.5 + Math.random()), ctx.until - performance.now());
  if (ms > 0) await sleep(ms);
  return !ctx.over();
}

/**
 * Send one request; the response when it is 2xx/3xx, undefined (after counting why) when not.
 * A 409 is allowed only on a shared session.
 */
async function exchange(
  ctx: Context,
  jar: CookieJar,
  spec: RequestSpec,
  who: string,
  shared: boolean,
): Promise<HttpResponse | undefined> {
  const started = performance.now();
  let res: HttpResponse;
  try {
    res = await ctx.http.send(spec, jar.header());
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ERROR';
    ctx.tally.response(code, performance.now() - started);
    ctx.tally.error('transport', `${who} ${spec.method} ${spec.path}: ${code}`);
    return undefined;
  }
  ctx.tally.response(res.status, performance.now() - started);
  if (res.retried) ctx.tally.retriedResets++;
  jar.take(res.setCookies);
  if (res.status >= 200 && res.status < 400) return res;
  if (res.status === 409 && shared) ctx.tally.contendedConflicts++;
  else if (res.status === 409) ctx.tally.error('conflict', `${who} ${spec.method} ${spec.path}`);
  else ctx.tally.error('status', `${who} ${spec.method} ${spec.path}: ${res.status}`);
  return undefined;
}

/** False (after counting it) when a response was not served with `user`'s session as known. */
function matches(ctx: Context, user: string, expected: number | undefined, view?: SessionView) {
  if (view === undefined) return true;
  if (view.user !== undefined && view.user !== user) {
    ctx.tally.error('lost-session', `${user} served as ${view.user ?? 'anonymous'}`);
    return false;
  }
  if (expected !== undefined && view.count !== undefined && view.count !== expected) {
    ctx.tally.error('lost-update', `${user} counter ${view.count}, expected ${expected}`);
    return false;
  }
  return true;
}

/** One login-to-logout round of a client on its own session; false after an error. */
async function round(ctx: Context, jar: CookieJar, user: string): Promise<boolean> {
  const { protocol } = ctx;
  const login = await exchange(ctx, jar, protocol.login(user), user, false);
  if (!login) return false;
  if (login.setCookies.length === 0) {
    ctx.tally.error('no-cookie', user);
    return false;
  }
  for (let expected = 1; expected <= UPDATES_PER_LOGIN && !ctx.over(); expected++) {
    if (!(await pause(ctx, ctx.thinkMs))) return true;
    const updated = await exchange(ctx, jar, protocol.update, user, false);
    if (!updated || !matches(ctx, user, expected, protocol.view(updated.body))) return false;
    if (!(await pause(ctx, ctx.thinkMs))) return true;
    const read = await exchange(ctx, jar, protocol.read, user, false);
    if (!read || !matches(ctx, user, expected, protocol.view(read.body))) return false;
  }
  if (!(await pause(ctx, ctx.thinkMs))) return true;
  if (!(await exchange(ctx, jar, protocol.logout, user, false))) return false;
  const after = await exchange(ctx, jar, protocol.read, user, false);
  if (!after) return false;
  if (protocol.view(after.body)?.user != null) {
    ctx.tally.error('logout-ignored', user);
    return false;
  }
  return true;
}

async function soloClient(ctx: Context, index: number): Promise<void> {
  await sleep(Math.random() * ctx.rampMs);
  const jar = new CookieJar();
  for (let generation = 0; !ctx.over(); generation++) {
    // After an error, a fresh browser: the next round's counter starts from nothing.
    if (!(await round(ctx, jar, `c${index}-${generation}`))) jar.clear();
  }
}

/**
 * The group's members send each update (then each read) at the same moment, so they contend.
 * A 409'd update wrote nothing, so after a round every read must show exactly the updates
 * acknowledged so far (until a request fails without an answer, whose outcome is unknown).
 */
async function sharedRounds(ctx: Context, jar: CookieJar, user: string): Promise<void> {
  const { protocol } = ctx;
  const members = Array.from({ length: SHARED_GROUP_SIZE });
  let acknowledged: number | undefined = 0;
  const all = (spec: RequestSpec, expected?: number) =>
    Promise.all(
      members.map(async () => {
        const res = await exchange(ctx, jar, spec, user, true);
        if (!res) return;
        matches(ctx, user, expected, protocol.view(res.body));
        if (spec === protocol.update && acknowledged !== undefined) acknowledged++;
      }),
    );
  while (!ctx.over()) {
    if (!(await pause(ctx, ctx.thinkMs))) return;
    const before = ctx.tally.errorCount();
    await all(protocol.update);
    // A failed request may or may not have landed: the exact count is no longer known.
    if (ctx.tally.errorCount() !== before) acknowledged = undefined;
    if (!(await pause(ctx, ctx.thinkMs))) return;
    await all(protocol.read, acknowledged);
  }
}

/** A group of clients on one cookie: one login, then every member updates and reads at once. */
async function sharedGroup(ctx: Context, index: number): Promise<void> {
  await sleep(Math.random() * ctx.rampMs);
  const jar = new CookieJar();
  const user = `shared${index}`;
  while (!ctx.over()) {
    const login = await exchange(ctx, jar, ctx.protocol.login(user), user, false);
    if (login && login.setCookies.length > 0) break;
    if (login) ctx.tally.error('no-cookie', user);
    await pause(ctx, ctx.thinkMs);
  }
  await sharedRounds(ctx, jar, user);
}

/**
 * Run every client until `until`; resolves when the last one's last request is answered.
 *
 * @example
 * ```ts
 * await runClients({ http, protocol: recipeProtocol, tally, clients: 50, sharedGroups: 1,
 *   thinkMs: 500, rampMs: 500, until: performance.now() + 5000 });
 * ```
 */
export async function runClients(options: ClientsOptions): Promise<void> {
  const ctx: Context = { ...options, over: () => performance.now() >= options.until };
  const solo = Math.max(0, options.clients - options.sharedGroups * SHARED_GROUP_SIZE);
  await Promise.all([
    ...Array.from({ length: solo }, (_, i) => soloClient(ctx, i)),
    ...Array.from({ length: options.sharedGroups }, (_, i) => sharedGroup(ctx, i)),
  ]);
}

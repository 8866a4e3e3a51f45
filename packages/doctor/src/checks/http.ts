/**
 * HTTP checks against the running app: does a response set the session cookie, would a browser
 * at the public URL keep it, does a TLS proxy in front change that, and does the cookie come
 * back to the same session. No browser: the browser's rules are applied to what the app sent.
 * `node:http` rather than `fetch`, which cannot send the public `Host` a proxy forwards.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CheckResult } from '../types.js';
import { judgeAttributes, whyDropped } from './cookie-rules.js';
import { describeError, fail, pass, warn } from './result.js';
import { parseSetCookie, type SetCookie } from './set-cookie.js';

/** The app and how to start a session on it. */
export interface AppTarget {
  /** The URL the doctor requests. */
  readonly url: URL;
  /** The URL users reach the app at (a TLS proxy's), default `url`. */
  readonly publicUrl: URL;
  readonly method: string;
  readonly body: string | undefined;
  readonly cookieName: string | undefined;
  readonly timeout: number;
  readonly clock: () => number;
}

/** A TLS proxy in front of a plain-HTTP app: the headers it adds. */
function proxyHeaders(target: AppTarget): Record<string, string> {
  const proxied = target.url.protocol === 'http:' && target.publicUrl.protocol === 'https:';
  if (!proxied) return {};
  return { 'x-forwarded-proto': 'https', 'x-forwarded-host': target.publicUrl.host };
}

/** What one response said: its status and the cookies it set. */
interface Answer {
  readonly status: number;
  readonly cookies: SetCookie[];
}

/**
 * One request as a browser at the public URL sends it, through a proxy that keeps its `Host`:
 * same-origin (`Origin`, for CSRF guards), the public host.
 */
function send(
  target: AppTarget,
  headers: Record<string, string>,
  cookie?: string,
): Promise<Answer> {
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      {
        method: target.method,
        signal: AbortSignal.timeout(target.timeout),
        headers: {
          host: target.publicUrl.host,
          origin: target.publicUrl.origin,
          'user-agent': 'sessions-doctor',
          ...(target.body === undefined
            ? {}
            : { 'content-type': 'application/x-www-form-urlencoded' }),
          ...(cookie === undefined ? {} : { cookie }),
          ...headers,
        },
      },
      (res) => {
        res.resume(); // the body is not needed: free the connection
        res.on('end', () => {
          const cookies = (res.headers['set-cookie'] ?? []).flatMap(
            (header) => parseSetCookie(header, target.clock()) ?? [],
          );
          resolve({ status: res.statusCode ?? 0, cookies });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(target.body);
  });
}

/** The session cookie among those set: the named one, else the only one, else a likely name. */
function sessionCookie(cookies: SetCookie[], name: string | undefined): SetCookie | undefined {
  if (name !== undefined) return cookies.find((c) => c.name === name);
  if (cookies.length <= 1) return cookies[0];
  return cookies.find((c) => /sess|sid/i.test(c.name)) ?? cookies[0];
}

/** Every HTTP check of the app. */
export async function httpChecks(target: AppTarget): Promise<CheckResult[]> {
  const headers = proxyHeaders(target);
  const behindProxy = 'x-forwarded-proto' in headers;
  let answer: Answer;
  try {
    answer = await send(target, headers);
  } catch (error) {
    return [
      fail(
        'http.reachable',
        `${target.url.href} did not answer: ${describeError(error)}`,
        'start the app, or give the URL it listens on',
      ),
    ];
  }
  const results: CheckResult[] = [];
  const first = answer.cookies;
  const cookie = sessionCookie(first, target.cookieName);
  if (behindProxy) results.push(await checkProxy(target, cookie));
  if (cookie === undefined || cookie.deletes) {
    const what = first.length === 0 ? 'no cookie' : `only ${first.map((c) => c.name).join(', ')}`;
    results.push(
      fail(
        'http.sets-cookie',
        `${target.method} ${target.url.pathname} answered ${answer.status} and set ${what}${cookie?.deletes ? ' (a deletion)' : ''}`,
        target.body === undefined && target.method === 'GET'
          ? 'give a route that starts a session (--method POST --data …), or --cookie-name'
          : 'check that this request starts a session, and --cookie-name',
      ),
    );
    return results;
  }
  results.push(pass('http.sets-cookie', `${target.url.pathname} sets ${cookie.name}`));
  results.push(judgeAttributes(cookie, target.publicUrl));
  results.push(await checkReturns(target, headers, cookie));
  return results;
}

/**
 * Behind a TLS proxy the app sees plain HTTP unless it trusts `X-Forwarded-Proto`: frameworks
 * then refuse to set a Secure cookie (express-session) or set it without Secure (`'auto'`).
 */
async function checkProxy(target: AppTarget, proxied: SetCookie | undefined): Promise<CheckResult> {
  const id = 'http.proxy';
  const trust = "trust the proxy (Express: app.set('trust proxy', 1); Fastify: trustProxy: true)";
  if (proxied === undefined || proxied.deletes) {
    const direct = sessionCookie((await send(target, {})).cookies, target.cookieName);
    return fail(
      id,
      direct === undefined
        ? 'with X-Forwarded-Proto: https the app sets no session cookie: it does not trust the proxy, sees plain HTTP and refuses a Secure cookie'
        : 'the app sets the session cookie directly but not through the proxy',
      trust,
    );
  }
  if (!proxied.secure) {
    return warn(
      id,
      `through the proxy ${proxied.name} is set without Secure: the app does not know the request was HTTPS`,
      `${trust}, so the cookie is marked Secure`,
    );
  }
  return pass(id, `through the TLS proxy (X-Forwarded-Proto: https) ${proxied.name} is set Secure`);
}

/** A browser keeps the cookie and sends it back; the app then keeps the same session. */
async function checkReturns(
  target: AppTarget,
  headers: Record<string, string>,
  cookie: SetCookie,
): Promise<CheckResult> {
  const id = 'http.cookie-returns';
  const dropped = whyDropped(cookie, target.publicUrl);
  if (dropped !== undefined) {
    return fail(
      id,
      `a browser never sends ${cookie.name} back: ${dropped}`,
      'see http.cookie-attributes',
    );
  }
  const second = await send(target, headers, cookie.pair);
  const again = second.cookies.find((c) => c.name === cookie.name);
  if (again === undefined || (again.value === cookie.value && !again.deletes)) {
    return pass(id, `sent back, ${cookie.name} keeps the same session`);
  }
  return fail(
    id,
    again.deletes
      ? `sent back, ${cookie.name} was deleted by the app: it did not find its own session`
      : `sent back, ${cookie.name} was replaced by a new one: the app did not find its own session`,
    "check the store (run the doctor with --store) and that every instance of the app shares it and the cookie's secret",
  );
}

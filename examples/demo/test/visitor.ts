// One browser without a browser: keeps the session cookie and posts forms from the demo's own
// origin, over app.request or over real HTTP.

/** Sends a request: `app.request`, or fetch against a running server. */
export type Send = (path: string, init: RequestInit) => Promise<Response>;

/** A `Send` over HTTP to `baseUrl`, not following redirects (as app.request does not). */
export function overHttp(baseUrl: string): Send {
  return (path, init) => fetch(new URL(path, baseUrl), { ...init, redirect: 'manual' });
}

/** A visitor with one cookie jar and one user agent. */
export class Visitor {
  cookie: string | undefined;
  constructor(
    private readonly send: Send,
    private readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
    private readonly origin = 'http://localhost',
  ) {}

  get(path: string) {
    return this.request(path, 'GET');
  }

  post(path: string, form: Record<string, string> = {}) {
    return this.request(path, 'POST', new URLSearchParams(form));
  }

  private async request(path: string, method: string, body?: URLSearchParams) {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, origin: this.origin };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await this.send(path, { method, headers, ...(body ? { body } : {}) });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    return { status: res.status, body: await res.text(), res };
  }
}

/** The handle of the first session row on an "active sessions" page that is not this device. */
export function otherSessionHandle(page: string): string | undefined {
  return /<tr class="session" data-handle="([0-9a-f]{64})"/.exec(page)?.[1];
}

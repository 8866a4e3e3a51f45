/**
 * One request over a shared keep-alive agent (Node's own `http`: no client library, and far
 * less work per request than `fetch`, so a thousand clients fit in the harness's process).
 */
import { Agent, request as httpRequest } from 'node:http';

/** A request a client sends. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
}

/** What came back. */
export interface HttpResponse {
  status: number;
  setCookies: string[];
  body: string;
  /** Sent a second time: the kept-alive socket was reset before any answer (see `send`). */
  retried: boolean;
}

/** How long one request may take before it counts as a `timeout` error. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * An HTTP client for one base URL: one keep-alive socket per concurrent client at most.
 *
 * @example
 * ```ts
 * const client = new HttpClient('http://127.0.0.1:3000');
 * const res = await client.send({ method: 'GET', path: '/' }, 'sid=abc');
 * client.close();
 * ```
 */
export class HttpClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  readonly #base: URL;
  readonly #origin: string;

  constructor(baseUrl: string) {
    this.#base = new URL(baseUrl);
    this.#origin = this.#base.origin;
  }

  /**
   * Send `spec` with `cookie` (a `Cookie` header value, or empty). A request whose reused
   * keep-alive socket is reset before any answer is sent once more on a new one, as browsers
   * do: the server closed the socket as idle just as it was reused, so the request never
   * reached the app (Node's documented race, `request.reusedSocket`). Were it an update the app
   * had served, the client's counter would show it twice: a `lost-update`, not a silent pass.
   */
  async send(spec: RequestSpec, cookie: string): Promise<HttpResponse> {
    try {
      return await this.#attempt(spec, cookie);
    } catch (err) {
      if (!(err as { retry?: boolean }).retry) throw err;
      return { ...(await this.#attempt(spec, cookie)), retried: true };
    }
  }

  #attempt(spec: RequestSpec, cookie: string): Promise<HttpResponse> {
    const body = spec.form ? new URLSearchParams(spec.form).toString() : undefined;
    const headers: Record<string, string | number> = {
      // A browser's: the demo checks Origin on posts (CSRF) and labels sessions by user agent.
      origin: this.#origin,
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 sessions-load',
    };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = httpRequest(
        {
          agent: this.#agent,
          hostname: this.#base.hostname,
          port: this.#base.port,
          method: spec.method,
          path: spec.path,
          headers,
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              setCookies: res.headers['set-cookie'] ?? [],
              body: Buffer.concat(chunks).toString('utf8'),
              retried: false,
            }),
          );
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })),
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        const retry = req.reusedSocket && err.code === 'ECONNRESET' && !answered;
        reject(Object.assign(err, { retry }));
      });
      req.end(body);
    });
  }

  /** Close every kept-alive socket. */
  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Holding a Node response at the moment its head would go out, so that something (the
 * session's save) can settle first and still decide the status.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

type Method = 'write' | 'end' | 'writeHead' | 'flushHeaders';
type AnyFunction = (...args: unknown[]) => unknown;

/**
 * What the hold does with a call: `open` (nothing sent yet), `holding` (queued until the
 * owner decides), `passing` (sent as made), `discarded` (the held response was dropped; calls
 * pass until a new response has ended, and are ignored after, so a handler still streaming
 * cannot write into it).
 */
type State = 'open' | 'holding' | 'passing' | 'discarded';

/**
 * A response whose head and body are held from the first call that would send its head
 * (`write`, `end`, `writeHead`, `flushHeaders`) until {@link HeldResponse.release} or
 * {@link HeldResponse.discard}.
 *
 * It hooks the response's own methods, as express-session hooks `res.end`: mounted after
 * express-session, it sits in front of it, so express-session's own end (its automatic save
 * and its `Set-Cookie`) runs only when the held calls are released.
 */
export class HeldResponse {
  #state: State = 'open';
  #queue: Array<{ method: Method; args: unknown[] }> = [];
  #askedToWait = false;
  readonly #res: ServerResponse;
  readonly #originals: Record<Method, AnyFunction>;
  readonly #status: { code: number; message: string };
  readonly #headers: OutgoingHttpHeaders;

  /**
   * Hook `res`. At the first call that would send the head, `onCommit` decides: `true` holds
   * everything from that call on until `release` or `discard`; `false` lets the response
   * through untouched. The status and headers set so far are what `discard` restores.
   */
  constructor(res: ServerResponse, onCommit: (held: HeldResponse) => boolean) {
    this.#res = res;
    this.#status = { code: res.statusCode, message: res.statusMessage };
    this.#headers = res.getHeaders();
    const target = res as unknown as Record<Method, AnyFunction>;
    this.#originals = {
      write: target.write,
      end: target.end,
      writeHead: target.writeHead,
      flushHeaders: target.flushHeaders,
    };
    for (const method of Object.keys(this.#originals) as Method[]) {
      target[method] = (...args: unknown[]) => {
        if (this.#state === 'open') this.#state = onCommit(this) ? 'holding' : 'passing';
        return this.#call(method, args);
      };
    }
  }

  /** Send every held call, in order, and let later calls through as they come. */
  release(): void {
    if (this.#state !== 'holding') return;
    this.#state = 'passing';
    for (const { method, args } of this.#queue.splice(0)) this.#send(method, args);
    this.#drained();
  }

  /**
   * Drop every held call, and the status and headers set since the hook, so that a new
   * response (an error handler's) starts clean. Calls made after pass until that response has
   * ended; any later ones (a handler still streaming) are ignored.
   */
  discard(): void {
    if (this.#state !== 'holding') return;
    this.#state = 'discarded';
    this.#queue = [];
    const res = this.#res;
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    for (const [name, value] of Object.entries(this.#headers)) {
      if (value !== undefined) res.setHeader(name, value);
    }
    res.statusCode = this.#status.code;
    res.statusMessage = this.#status.message;
    this.#drained();
  }

  #call(method: Method, args: unknown[]): unknown {
    switch (this.#state) {
      case 'holding':
        this.#queue.push({ method, args });
        if (method !== 'write') return method === 'flushHeaders' ? undefined : this.#res;
        // Ask a piping stream to wait: it resumes on the 'drain' emitted once released.
        this.#askedToWait = true;
        return false;
      case 'discarded':
        if (this.#res.writableEnded) return method === 'write' ? true : this.#res;
        return this.#send(method, args);
      default:
        return this.#send(method, args);
    }
  }

  #send(method: Method, args: unknown[]): unknown {
    return this.#originals[method].apply(this.#res, args);
  }

  /** A writer told to wait while held is told to go on, unless the socket itself is full. */
  #drained(): void {
    if (!this.#askedToWait || this.#res.writableNeedDrain) return;
    this.#askedToWait = false;
    this.#res.emit('drain');
  }
}

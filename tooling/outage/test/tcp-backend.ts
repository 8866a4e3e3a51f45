/**
 * A tiny session server over real TCP for the self-test of the latency scenarios: our own
 * MemoryStore behind a JSON-lines protocol, so the real {@link LatencyProxy} sits between a
 * client and a server that really applies a write before its reply is cut. The honest client
 * opens a connection per call and bounds it; the broken ones each break one rule the
 * scenarios exist to catch. Not a mock of any backend: the harness's own test bench.
 */
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import {
  ConflictError,
  type DeleteByUserOptions,
  MemoryStore,
  SessionError,
  type SessionRecord,
  type SessionStore,
  type SetOptions,
  type SetResult,
  type StoredSession,
  UnavailableError,
} from '@sessions/core';
import { SOURCE } from './fake-backend.js';

const OPERATIONS = new Set([
  'get',
  'set',
  'touch',
  'delete',
  'listByUser',
  'deleteByUser',
  'clear',
]);

/** The server: one JSON request per line, one JSON reply per line. */
export class LineServer {
  readonly data = new MemoryStore({ pruneInterval: 0 });
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<LineServer> {
    let self: LineServer | undefined;
    const server = createServer((socket) => {
      let buffered = '';
      socket.on('error', () => undefined);
      socket.on('data', (chunk) => {
        buffered += chunk.toString('utf8');
        for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          void self?.answer(line).then((reply) => socket.write(`${JSON.stringify(reply)}\n`));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP port');
    self = new LineServer(server, address.port);
    return self;
  }

  private async answer(line: string): Promise<object> {
    const { op, args } = JSON.parse(line) as { op: string; args: unknown[] };
    if (!OPERATIONS.has(op)) return { ok: false, code: 'BAD_REQUEST', message: op };
    try {
      const run = (this.data as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
        op
      ];
      return { ok: true, value: (await run?.apply(this.data, args)) ?? null };
    } catch (err) {
      return {
        ok: false,
        code: err instanceof SessionError ? err.code : 'ERROR',
        message: String((err as Error).message),
      };
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function unavailable(operation: string, cause: Error): UnavailableError {
  return new UnavailableError(SOURCE, `${operation} failed: ${cause.message}`, { cause });
}

/**
 * The honest client: a connection per call to `port` (the proxy), the call bounded by
 * `boundMs` (unless `deadline` is false), and every failure of the link `UNAVAILABLE`.
 */
export class LineStore implements SessionStore {
  readonly maxPayloadBytes = 1024 * 1024;
  constructor(
    readonly port: number,
    readonly boundMs: number,
    readonly deadline = true,
  ) {}

  protected call<T>(op: string, args: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const socket = tcpConnect(this.port, '127.0.0.1');
      let buffered = '';
      let done = false;
      const finish = (err: Error | undefined, value?: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        if (err) reject(err);
        else resolve((value ?? undefined) as T);
      };
      const timer = this.deadline
        ? setTimeout(() => {
            const cause = Object.assign(new Error(`${op} timed out`), { name: 'TimeoutError' });
            finish(unavailable(op, cause));
          }, this.boundMs)
        : undefined;
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(`${JSON.stringify({ op, args })}\n`));
      socket.on('data', (chunk) => {
        buffered += chunk.toString('utf8');
        const end = buffered.indexOf('\n');
        if (end < 0) return;
        const reply = JSON.parse(buffered.slice(0, end)) as {
          ok: boolean;
          value?: unknown;
          code?: string;
          message?: string;
        };
        if (reply.ok) finish(undefined, reply.value);
        else if (reply.code === 'CONFLICT') finish(new ConflictError(SOURCE));
        else finish(new Error(`${reply.code}: ${reply.message}`));
      });
      socket.on('error', (err) => finish(unavailable(op, err)));
      socket.on('close', () => finish(unavailable(op, new Error('closed before the reply'))));
    });
  }

  get(key: string): Promise<SessionRecord | undefined> {
    return this.call('get', [key]);
  }
  set(key: string, record: SessionRecord, options?: SetOptions): Promise<SetResult> {
    return this.call('set', [key, record, options]);
  }
  touch(key: string, expiresAt: number): Promise<boolean> {
    return this.call('touch', [key, expiresAt]);
  }
  delete(key: string): Promise<boolean> {
    return this.call('delete', [key]);
  }
  listByUser(userId: string): Promise<StoredSession[]> {
    return this.call('listByUser', [userId]);
  }
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return this.call('deleteByUser', [userId, options]);
  }
  clear(): Promise<void> {
    return this.call('clear', []);
  }
  async close(): Promise<void> {}
}

const isUnavailable = (err: unknown) => err instanceof SessionError && err.code === 'UNAVAILABLE';

/**
 * Retries a write that failed with `UNAVAILABLE` once, blindly: without its `ifVersion` ("the
 * version was checked the first time"). When the first attempt was applied and only its reply
 * lost, the write is applied twice.
 */
export class RetriesBlindly extends LineStore {
  override async set(key: string, record: SessionRecord, options?: SetOptions) {
    try {
      return await super.set(key, record, options);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      return super.set(key, record);
    }
  }
}

/**
 * Sends a write that failed with `UNAVAILABLE` again, unchanged, and reports what the second
 * attempt says (as a driver that replays unanswered commands after a reconnect does). When the
 * first attempt was applied, the second meets its version: a `CONFLICT` with its own write.
 */
export class ResendsUnanswered extends LineStore {
  override async set(key: string, record: SessionRecord, options?: SetOptions) {
    try {
      return await super.set(key, record, options);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      return super.set(key, record, options);
    }
  }
}

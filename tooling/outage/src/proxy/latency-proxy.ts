/**
 * A loopback TCP proxy between a store and its server that plays a bad network: every chunk,
 * both ways, waits a latency plus jitter (in order, as TCP delivers), and a server reply can be
 * cut part-way — the connection reset after some of its bytes, or left silent (a half-open
 * connection: no FIN, no RST) for a while first. It knows no protocol: a chunk from the server
 * is, on a request/response protocol over loopback, one reply or a part of one.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { DelayLine } from './delay-line.js';

/** What the link does to the traffic; every field may be changed between scenarios. */
export interface LinkConditions {
  /** Added to every chunk in each direction, in ms (default 0). */
  latencyMs: number;
  /** Plus a uniform random share of this, per chunk, in ms (default 0). */
  jitterMs: number;
  /**
   * Probability that a chunk from the server is cut: only a part of it (at least one byte, never
   * all of it) is forwarded, then the connection dies (default 0).
   */
  cutRate: number;
  /**
   * Share of the cuts that stall instead of resetting at once: the connection stays open and
   * silent for `stallMs`, then is reset — a peer gone without a word (default 0).
   */
  stallShare: number;
  /** How long a stalled connection stays silent before the reset, in ms (default 3000). */
  stallMs: number;
}

/** What the proxy has done so far. */
export interface ProxyStats {
  /** Client connections accepted. */
  connections: number;
  /** Replies cut and the connection reset at once. */
  resets: number;
  /** Replies cut and the connection left silent first. */
  stalls: number;
}

const CALM: LinkConditions = {
  latencyMs: 0,
  jitterMs: 0,
  cutRate: 0,
  stallShare: 0,
  stallMs: 3000,
};

/**
 * The proxy: listens on 127.0.0.1 (a free port) and connects each client to the target.
 * Build one per server and reuse it: {@link LatencyProxy.configure} changes the conditions for
 * connections old and new.
 *
 * @example
 * ```ts
 * const proxy = await LatencyProxy.start(server.port);
 * const store = new RedisStore({ url: proxy.rewrite(server.url, server.port) });
 * proxy.configure({ latencyMs: 50, jitterMs: 50 });
 * proxy.configure({ cutRate: 0.05, stallShare: 0.25 });
 * await proxy.close();
 * ```
 */
export class LatencyProxy {
  readonly stats: ProxyStats = { connections: 0, resets: 0, stalls: 0 };
  #conditions: LinkConditions = { ...CALM };
  readonly #live = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    /** The port the proxy listens on. */
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  /** Start a proxy to `127.0.0.1:targetPort` on a free loopback port. */
  static async start(targetPort: number): Promise<LatencyProxy> {
    let proxy: LatencyProxy | undefined;
    const server = createServer((socket) => proxy?.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the proxy has no TCP port');
    proxy = new LatencyProxy(server, address.port, targetPort);
    return proxy;
  }

  /** The current conditions. */
  get conditions(): Readonly<LinkConditions> {
    return this.#conditions;
  }

  /** Change the conditions (unset fields return to calm: no latency, no cuts). */
  configure(conditions: Partial<LinkConditions>): void {
    this.#conditions = { ...CALM, ...conditions };
  }

  /** `url` (which names the target's port on 127.0.0.1) pointed at the proxy instead. */
  rewrite(url: string, targetPort = this.targetPort): string {
    const from = `127.0.0.1:${targetPort}`;
    if (!url.includes(from)) throw new Error(`${url} does not name ${from}`);
    return url.replace(from, `127.0.0.1:${this.port}`);
  }

  /** Reset every connection and stop listening. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const socket of this.#live) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.stats.connections += 1;
    const upstream = tcpConnect(this.targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.#live.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => this.#live.delete(socket));
      // A reset is what this proxy is for; the other side learns of it by its own close.
      socket.on('error', () => undefined);
    }
    let cut = false;
    const kill = () => {
      cut = true;
      toServer.stop();
      toClient.stop();
      client.destroy();
      upstream.destroy();
    };
    const forward = (to: Socket) => (item: Buffer | 'end') => {
      if (item === 'end') to.end();
      else to.write(item);
    };
    const toServer = new DelayLine(forward(upstream));
    const toClient = new DelayLine(forward(client));
    const delay = () => this.#conditions.latencyMs + Math.random() * this.#conditions.jitterMs;

    client.on('data', (chunk: Buffer) => {
      if (!cut) toServer.push(chunk, delay());
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cut) return;
      const { cutRate, stallShare, stallMs } = this.#conditions;
      if (Math.random() >= cutRate) {
        toClient.push(chunk, delay());
        return;
      }
      // Part of the reply goes through: at least a byte, never the whole chunk.
      cut = true;
      const part = chunk.length > 1 ? 1 + Math.floor(Math.random() * (chunk.length - 1)) : 0;
      const stall = Math.random() < stallShare;
      if (stall) this.stats.stalls += 1;
      else this.stats.resets += 1;
      toServer.stop();
      // The part leaves through the line, in order after what came before; the cut follows it.
      if (part > 0) toClient.push(chunk.subarray(0, part), delay());
      toClient.push(() => {
        toClient.stop();
        if (!stall) return kill();
        // Silent from here: nothing more is forwarded either way, then the reset.
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          kill();
        }, stallMs);
        this.#timers.add(timer);
      }, 0);
    });
    client.on('end', () => toServer.push('end', delay()));
    upstream.on('end', () => toClient.push('end', delay()));
    client.on('close', () => kill());
    upstream.on('close', () => {
      // Let what the server sent before it closed reach the client first.
      if (!cut) toClient.push('end', delay());
    });
  }
}

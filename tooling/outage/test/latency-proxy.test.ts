/**
 * The proxy on its own, over a real echo server: bytes arrive unchanged and in order whatever
 * the jitter, latency is added (a lower bound, never a timing upper bound), and a cut reply
 * reaches the client only in part, then the connection dies — at once, or after a silence.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatencyProxy } from '../src/index.js';

let echo: Server;
let echoPort = 0;
let proxy: LatencyProxy;

beforeAll(async () => {
  echo = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  echoPort = (echo.address() as { port: number }).port;
  proxy = await LatencyProxy.start(echoPort);
});

afterAll(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

/** Connect through the proxy and collect what comes back until the connection closes. */
function through(): { socket: Socket; received: Buffer[]; closed: Promise<number> } {
  const socket = tcpConnect(proxy.port, '127.0.0.1');
  socket.on('error', () => undefined);
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  return { socket, received, closed };
}

describe('LatencyProxy', () => {
  it('delivers every byte in order under heavy jitter', async () => {
    proxy.configure({ latencyMs: 1, jitterMs: 30 });
    const { socket, received, closed } = through();
    const sent: string[] = [];
    for (let i = 0; i < 200; i++) {
      sent.push(`${i};`);
      socket.write(`${i};`);
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    const expected = sent.join('');
    while (Buffer.concat(received).length < expected.length) {
      await new Promise((r) => setTimeout(r, 10));
    }
    socket.end();
    await closed;
    expect(Buffer.concat(received).toString()).toBe(expected);
  });

  it('adds its latency in each direction', async () => {
    proxy.configure({ latencyMs: 50, jitterMs: 10 });
    const { socket, received, closed } = through();
    await new Promise((resolve) => socket.on('connect', resolve));
    const started = performance.now();
    socket.write('ping');
    while (received.length === 0) await new Promise((r) => setTimeout(r, 2));
    const roundTrip = performance.now() - started;
    socket.destroy();
    await closed;
    // Out through the proxy and back: at least twice the latency (timers never fire early by
    // more than a millisecond).
    expect(roundTrip).toBeGreaterThanOrEqual(99);
  });

  it('cuts a reply part-way and resets the connection', async () => {
    proxy.configure({ cutRate: 1 });
    const before = proxy.stats.resets;
    const { socket, received, closed } = through();
    const reply = 'x'.repeat(64);
    socket.write(reply);
    await closed;
    const got = Buffer.concat(received).length;
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(reply.length);
    expect(proxy.stats.resets).toBe(before + 1);
  });

  it('leaves a cut connection silent for stallMs before the reset', async () => {
    proxy.configure({ cutRate: 1, stallShare: 1, stallMs: 300 });
    const before = proxy.stats.stalls;
    const { socket, received, closed } = through();
    socket.write('y'.repeat(64));
    while (received.length === 0) await new Promise((r) => setTimeout(r, 2));
    const partAt = Date.now();
    // Nothing more is forwarded while it stalls, either way.
    socket.write('z'.repeat(64));
    const closedAt = await closed;
    expect(closedAt - partAt).toBeGreaterThanOrEqual(250);
    expect(Buffer.concat(received).length).toBeLessThan(64);
    expect(proxy.stats.stalls).toBe(before + 1);
  });

  it('points a URL naming the target at itself', () => {
    expect(proxy.rewrite(`redis://127.0.0.1:${echoPort}`)).toBe(`redis://127.0.0.1:${proxy.port}`);
    expect(proxy.rewrite(`postgres://postgres@127.0.0.1:${echoPort}/postgres`)).toBe(
      `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
    );
    expect(() => proxy.rewrite('redis://10.0.0.1:6379')).toThrow(/does not name/);
  });
});

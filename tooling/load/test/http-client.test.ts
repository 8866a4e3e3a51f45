// The client sends a request again only when its reused keep-alive socket was reset before any
// answer; a reset on a fresh socket is the caller's error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { HttpClient } from '../src/http-client.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A server that resets the `nth` request of each connection (1-based) without answering. */
async function resetting(nth: number): Promise<string> {
  const perSocket = new WeakMap<object, number>();
  const listening = createServer((req, res) => {
    const count = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, count);
    if (count === nth) req.socket.destroy();
    else res.end('ok');
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

test('a reused socket reset before any answer is sent once more', async () => {
  const client = new HttpClient(await resetting(2));
  const first = await client.send({ method: 'GET', path: '/' }, '');
  const second = await client.send({ method: 'POST', path: '/', form: { a: '1' } }, '');
  client.close();
  expect([first.retried, second.retried]).toEqual([false, true]);
  expect(second.body).toBe('ok');
});

test('a fresh socket reset is an error', async () => {
  const client = new HttpClient(await resetting(1));
  await expect(client.send({ method: 'GET', path: '/' }, '')).rejects.toMatchObject({
    code: 'ECONNRESET',
  });
  client.close();
});

// Runs the example of packages/core/MANAGER.md over real HTTP, and checks that the guide shows
// exactly this code, so the two cannot drift apart.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from './guide-example.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
);

async function get(path: string, cookie?: string) {
  const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  const setCookie = res.headers.get('set-cookie') ?? undefined;
  return { body: await res.text(), setCookie, cookie: setCookie?.split(';')[0] };
}

describe('the MANAGER.md example', () => {
  it('counts visits, rotates the token at login and clears it at logout', async () => {
    const first = await get('/');
    expect(first.body).toBe('visits: 1');
    expect(first.setCookie).toMatch(
      /^__Host-sid=[A-Za-z0-9_-]{43}; Max-Age=(?:28799|28800); Path=\/; Expires=.*; HttpOnly; Secure; SameSite=Lax$/,
    );
    const anonymous = first.cookie!;

    const second = await get('/', anonymous);
    expect(second).toMatchObject({ body: 'visits: 2', setCookie: undefined });

    const login = await get('/login', anonymous);
    expect(login.body).toBe('visits: 3');
    expect(login.cookie).toMatch(/^__Host-sid=/);
    expect(login.cookie).not.toBe(anonymous);
    const loggedIn = login.cookie!;

    const planted = await get('/', anonymous);
    expect(planted.body).toBe('visits: 1');
    expect(planted.cookie).not.toBe(loggedIn);

    const logout = await get('/logout', loggedIn);
    expect(logout.setCookie).toMatch(/^__Host-sid=; Max-Age=0;/);
    expect((await get('/', loggedIn)).body).toBe('visits: 1');
  });

  it('is shown verbatim in MANAGER.md', () => {
    const guide = readFileSync(new URL('../../MANAGER.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./guide-example.ts', import.meta.url), 'utf8')
      .replace("'../../src/index.js'", "'@sessions/core'")
      .trim();
    expect(guide).toContain(example);
  });
});

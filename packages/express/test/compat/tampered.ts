// Malformed or tampered stored data: an error response for that request, never a crash; the
// server goes on serving everyone. (Escaped `__proto__` keys: core's conformance suite, with raw
// access to each backend.)
import type { SessionStore } from '@sessions/core';
import request from 'supertest';
import { expect, test } from 'vitest';
import { closedAfterEach } from '../app.js';
import { compatApp } from './http-app.js';

const TAMPERED: Record<string, unknown> = {
  'data is a string': 'not a session',
  'data is an array': ['a', 'b'],
  'cookie is a string': { cookie: 'x', a: '1' },
  'cookie.expires is not a date': { cookie: { expires: 'soon', originalMaxAge: 1 } },
  'cookie.maxAge is a string': { cookie: { originalMaxAge: 'long' } },
  'cookie.sameSite is unknown': { cookie: { originalMaxAge: 60_000, sameSite: 'sometimes' } },
  'cookie.path holds a ;': { cookie: { originalMaxAge: 60_000, path: '/; Domain=evil.test' } },
  'cookie.domain is not a host': { cookie: { originalMaxAge: 60_000, domain: 'evil test' } },
  'cookie holds an object': { cookie: { originalMaxAge: 60_000, extra: { toString: 1 } } },
};

export function tamperedCompat(makeStore: () => Promise<SessionStore>): void {
  const open = closedAfterEach(makeStore);

  for (const [name, data] of Object.entries(TAMPERED)) {
    test(`a stored session whose ${name}: an error for that request, the server serves on`, async () => {
      const store = await open();
      const { app, adapter } = compatApp(store);
      const server = app.listen(0, '127.0.0.1');
      try {
        await new Promise((resolve) => server.once('listening', resolve));
        const agent = request.agent(server);
        const { id } = (await agent.post('/set/a/1').expect(200)).body;
        const key = adapter.keyOf(id);
        const record = await store.get(key);
        try {
          await store.set(key, { data: data as never, expiresAt: record?.expiresAt ?? 0 });
        } catch {
          return; // this store refuses such a record outright: it cannot be stored tampered
        }
        const res = await agent.get('/peek');
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: 'CORRUPT' });
        expect(res.headers['set-cookie']).toBeUndefined();
        expect((await request(server).post('/set/b/2').expect(200)).body.id).toBeTypeOf('string');
      } finally {
        server.close();
      }
    });
  }
}

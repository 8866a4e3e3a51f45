// The login recipe during a backend outage: an error response, never a 200 with a cookie for a
// session that was not stored (express-session would send an automatic save's response first).
import { RedisStore } from '@sessions/redis';
import { which } from '@sessions/test-services';
import { startRedis } from '@sessions/test-services/redis';
import request from 'supertest';
import { expect, test } from 'vitest';
import { createApp } from '../examples/recipe.js';

test.skipIf(!which('redis-server'))(
  'a login while Redis is down gets an error, never a cookie',
  async () => {
    const server = await startRedis();
    const store = new RedisStore({ url: server.url, operationTimeout: 500 });
    try {
      const app = createApp(store, 'test secret, not for production');
      await request(app).post('/login').type('form').send({ user: 'ada' }).expect(302);

      await server.kill('SIGKILL');
      const during = await request(app).post('/login').type('form').send({ user: 'ada' });
      expect(during.status).toBe(503);

      await server.restart();
      // express-session may still send the cookie of the session it generated in memory; it
      // names nothing: that session was never stored, so it logs nobody in.
      const cookie = during.headers['set-cookie'] as unknown as string[] | undefined;
      if (cookie) {
        expect(
          (await request(app).get('/').set('Cookie', cookie).expect(200)).body.user,
        ).toBeNull();
      }
      const after = request.agent(app);
      await after.post('/login').type('form').send({ user: 'ada' }).expect(302);
      expect((await after.get('/').expect(200)).body.user).toBe('ada');
    } finally {
      await store.close();
      await server.stop();
    }
  },
);

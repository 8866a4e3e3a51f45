/**
 * Redis (one redis-server on loopback, started here unless REDIS_URL is set): plain
 * SET/GET/PEXPIRE/DEL with each client, our RedisStore with each client, connect-redis (which
 * takes node-redis), and Keyv with @keyv/redis used directly.
 */
import { createKeyv } from '@keyv/redis';
import { ExpressSessionStore } from '@sessions/express';
import { FastifySessionStore } from '@sessions/fastify';
import { RedisStore } from '@sessions/redis';
import { startRedis } from '@sessions/test-services/redis';
import { RedisStore as ConnectRedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { type BackendSpec, orCleanup } from '../backend.js';
import { directTarget } from '../direct.js';
import { expressTarget, fastifyTarget } from '../frameworks.js';
import { MAX_AGE, SESSION_DATA } from '../sessions.js';
import { type Target, TargetContender } from '../target.js';

/** The simplest raw work with ioredis: SET PX, GET, PEXPIRE, DEL, JSON both ways. */
function ioredisTarget(client: Redis, prefix: string): Target {
  return {
    async get(sid) {
      const text = await client.get(prefix + sid);
      return text === null ? undefined : JSON.parse(text);
    },
    set: (sid) => client.set(prefix + sid, JSON.stringify(SESSION_DATA), 'PX', MAX_AGE),
    touch: (sid) => client.pexpire(prefix + sid, MAX_AGE),
    delete: (sid) => client.del(prefix + sid),
  };
}

/** The same raw work with node-redis (automatic pipelining of concurrent commands). */
function nodeRedisTarget(client: NodeRedis, prefix: string): Target {
  return {
    async get(sid) {
      const text = await client.get(prefix + sid);
      return text === null ? undefined : JSON.parse(text);
    },
    set: (sid) =>
      client.set(prefix + sid, JSON.stringify(SESSION_DATA), {
        expiration: { type: 'PX', value: MAX_AGE },
      }),
    touch: (sid) => client.pExpire(prefix + sid, MAX_AGE),
    delete: (sid) => client.del(prefix + sid),
  };
}

type NodeRedis = Awaited<ReturnType<typeof nodeRedis>>;

/** Keyv over @keyv/redis, as its docs use it for sessions: no express-session store exists. */
function keyvTarget(url: string): { target: Target; close(): Promise<void> } {
  const keyv = createKeyv(url, { namespace: 'keyv' });
  return {
    target: {
      get: (sid) => keyv.get(sid),
      set: (sid) => keyv.set(sid, SESSION_DATA, MAX_AGE),
      // Keyv has no operation that moves an expiry alone.
      delete: (sid) => keyv.delete(sid),
    },
    close: () => keyv.disconnect(),
  };
}

async function nodeRedis(url: string) {
  const client = createClient({ url });
  client.on('error', (err) => console.error('node-redis:', err));
  await client.connect();
  return client;
}

/** The Redis line-up. */
export const redis: BackendSpec = {
  name: 'redis',
  poolSize: 1000,
  async open(poolSize) {
    const server = process.env.REDIS_URL ? undefined : await startRedis();
    const url = process.env.REDIS_URL ?? (server?.url as string);
    const closers: Array<() => Promise<unknown>> = [];
    const cleanup = async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await server?.stop();
    };
    return orCleanup(async () => {
      const rawIo = new Redis(url);
      closers.push(() => rawIo.quit());
      const rawNode = await nodeRedis(url);
      closers.push(() => rawNode.close());
      const storeClients = await Promise.all([nodeRedis(url), nodeRedis(url)]);
      for (const client of storeClients) closers.push(() => client.close());
      const peerClient = await nodeRedis(url);
      closers.push(() => peerClient.close());
      const ours = [
        new RedisStore({ url, namespace: 'direct-io' }),
        new RedisStore({ client: storeClients[0], namespace: 'direct-node' }),
        new RedisStore({ url, namespace: 'express-io' }),
        new RedisStore({ client: storeClients[1], namespace: 'express-node' }),
        new RedisStore({ url, namespace: 'fastify-io' }),
      ] as const;
      for (const store of ours) closers.push(() => store.close());
      const keyv = keyvTarget(url);
      closers.push(() => keyv.close());
      const contender = (name: string, target: Target) =>
        new TargetContender(name, target, poolSize);
      const version = (await rawIo.info('server')).match(/^redis_version:(.+)$/m)?.[1]?.trim();
      return {
        title: `Redis (redis-server ${version ?? '?'}, loopback)`,
        notes: [
          'Server CPU: the redis-server process, from /proc (all its threads).',
          'Keyv has no express-session or @fastify/session store; it is measured used directly, and has no touch.',
        ],
        serverPids: server?.pid === undefined ? [] : [server.pid],
        contenders: [
          contender('raw: SET PX/GET/PEXPIRE/DEL (ioredis)', ioredisTarget(rawIo, 'raw-io:')),
          contender(
            'raw: SET PX/GET/PEXPIRE/DEL (node-redis)',
            nodeRedisTarget(rawNode, 'raw-node:'),
          ),
          contender('ours: RedisStore (ioredis, from URL)', directTarget(ours[0])),
          contender('ours: RedisStore (node-redis client)', directTarget(ours[1])),
          contender('peer: Keyv + @keyv/redis, direct', keyv.target),
          contender(
            'express: ours (ioredis)',
            expressTarget(new ExpressSessionStore({ store: ours[2] })),
          ),
          contender(
            'express: ours (node-redis)',
            expressTarget(new ExpressSessionStore({ store: ours[3] })),
          ),
          contender(
            'express: connect-redis (node-redis)',
            expressTarget(new ConnectRedisStore({ client: peerClient, prefix: 'sess:' })),
          ),
          contender(
            'fastify: ours (ioredis)',
            fastifyTarget(new FastifySessionStore({ store: ours[4] })),
          ),
        ],
        close: cleanup,
      };
    }, cleanup);
  },
};

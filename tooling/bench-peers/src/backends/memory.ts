/**
 * Memory: a Map holding each session's JSON (the copy that keeps a caller's later edits out of
 * the store), our MemoryStore, and the frameworks' own memory stores.
 */

import fastifySession from '@fastify/session';
import { MemoryStore } from '@sessions/core';
import { ExpressSessionStore } from '@sessions/express';
import session from 'express-session';
import type { BackendSpec } from '../backend.js';
import { directTarget } from '../direct.js';
import {
  expressTarget,
  type FastifyStoreLike,
  fastifyTarget,
  ourAdapterTargets,
} from '../frameworks.js';
import { expiryFromNow, SESSION_DATA } from '../sessions.js';
import { type Target, TargetContender } from '../target.js';

/** The simplest raw work: a Map of JSON text and expiry, checked on read. */
function mapTarget(): Target {
  const map = new Map<string, { text: string; expiresAt: number }>();
  return {
    async get(sid) {
      const entry = map.get(sid);
      return entry && Date.now() < entry.expiresAt ? JSON.parse(entry.text) : undefined;
    },
    async set(sid) {
      map.set(sid, { text: JSON.stringify(SESSION_DATA), expiresAt: expiryFromNow() });
    },
    async touch(sid) {
      const entry = map.get(sid);
      if (entry && Date.now() < entry.expiresAt) entry.expiresAt = expiryFromNow();
    },
    async delete(sid) {
      map.delete(sid);
    },
  };
}

/** The memory line-up. */
export const memory: BackendSpec = {
  name: 'memory',
  poolSize: 1000,
  async open(poolSize) {
    const stores = [new MemoryStore(), new MemoryStore(), new MemoryStore(), new MemoryStore()];
    const contender = (name: string, target: Target) => new TargetContender(name, target, poolSize);
    return {
      title: 'memory (in this process)',
      notes: [
        "@fastify/session's default store keeps the live Session object: no copy, no expiry (not the same guarantees).",
        'The hashIds: false row stores session IDs in clear (not our default): its gap to "express: ours (ExpressSessionStore)" is what hashing each ID (SHA-256) costs.',
      ],
      serverPids: [],
      contenders: [
        contender('raw: Map + JSON', mapTarget()),
        contender('ours: MemoryStore', directTarget(stores[0] as MemoryStore)),
        ...ourAdapterTargets(stores[1] as MemoryStore, stores[2] as MemoryStore).map(
          ([name, target]) => contender(name, target),
        ),
        contender(
          'express: ours, hashIds: false',
          expressTarget(
            new ExpressSessionStore({ store: stores[3] as MemoryStore, hashIds: false }),
          ),
        ),
        contender(
          "express: express-session's MemoryStore",
          expressTarget(new session.MemoryStore()),
        ),
        contender(
          "fastify: @fastify/session's default store",
          fastifyTarget(
            new (fastifySession.MemoryStore as unknown as new () => FastifyStoreLike)(),
          ),
        ),
      ],
      async close() {
        for (const store of stores) await store.close();
      },
    };
  },
};

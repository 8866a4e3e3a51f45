// The Express adapter's compatibility suite: express-session's Store contract and Session
// behaviour, one file per concern, each a function of a store factory (see stores.test.ts).
import type { SessionStore } from '@sessions/core';
import { describe } from 'vitest';
import { callbacksCompat } from './callbacks.js';
import { sessionsOverHttpCompat } from './sessions-over-http.js';
import { storeApiCompat } from './store-api.js';
import { storeErrorsCompat } from './store-errors.js';
import { tamperedCompat } from './tampered.js';

export function compatibilitySuite(makeStore: () => Promise<SessionStore>): void {
  describe('Store API', () => storeApiCompat(makeStore));
  describe('sessions over HTTP', () => sessionsOverHttpCompat(makeStore));
  describe('callbacks', () => callbacksCompat(makeStore));
  describe('store errors', () => storeErrorsCompat(makeStore));
  describe('tampered data', () => tamperedCompat(makeStore));
}

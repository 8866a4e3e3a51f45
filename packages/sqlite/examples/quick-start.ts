import { randomBytes } from 'node:crypto';
import { SqliteStore } from '@sessions/sqlite';

// One file on disk; several processes of one host may share it.
const store = new SqliteStore({ database: 'sessions.db' });

const key = randomBytes(32).toString('base64url');
const { version } = await store.set(key, {
  data: { cart: ['sku-1'] },
  expiresAt: Date.now() + 30 * 60_000, // absolute, epoch ms
  userId: 'ada',
});

const session = await store.get(key);
console.log(session?.data, session?.version === version); // { cart: [ 'sku-1' ] } true

// Compare-and-set: only one of two concurrent writers based on `version` wins.
await store.set(
  key,
  { data: { cart: [] }, expiresAt: Date.now() + 30 * 60_000, userId: 'ada' },
  { ifVersion: version },
);

console.log(await store.deleteByUser('ada')); // 1: "log out everywhere"
await store.close();

/**
 * SQLite, one WAL file per system (journal_mode WAL, synchronous NORMAL: what our store sets,
 * given to the raw and peer connections too): a plain upsert/select table, our SqliteStore,
 * and better-sqlite3-session-store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import session from 'express-session';
import type { BackendSpec } from '../backend.js';
import { directTarget } from '../direct.js';
import { expressTarget, ourAdapterTargets } from '../frameworks.js';
import { expiryFromNow, SESSION_DATA } from '../sessions.js';
import { type Target, TargetContender } from '../target.js';

/** A connection with the pragmas our store sets on a file it opens. */
function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** The simplest raw work: one table keyed by session ID, a plain upsert and select. */
function rawTarget(db: Database.Database): Target {
  db.exec(
    'CREATE TABLE sessions (sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL)',
  );
  const upsert = db.prepare(
    'INSERT INTO sessions (sid, data, expires) VALUES (?, ?, ?) ' +
      'ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires = excluded.expires',
  );
  const select = db
    .prepare<[string, number], string>('SELECT data FROM sessions WHERE sid = ? AND expires > ?')
    .pluck();
  const touch = db.prepare('UPDATE sessions SET expires = ? WHERE sid = ? AND expires > ?');
  const remove = db.prepare('DELETE FROM sessions WHERE sid = ?');
  return {
    async get(sid) {
      const text = select.get(sid, Date.now());
      return text === undefined ? undefined : JSON.parse(text);
    },
    async set(sid) {
      upsert.run(sid, JSON.stringify(SESSION_DATA), expiryFromNow());
    },
    async touch(sid) {
      return touch.run(expiryFromNow(), sid, Date.now()).changes > 0;
    },
    async delete(sid) {
      return remove.run(sid).changes > 0;
    },
  };
}

type PeerStoreClass = new (options: { client: Database.Database }) => session.Store;
const peerStoreFor = createRequire(import.meta.url)('better-sqlite3-session-store') as (
  express: typeof session,
) => PeerStoreClass;

/** The SQLite line-up. */
export const sqlite: BackendSpec = {
  name: 'sqlite',
  poolSize: 1000,
  async open(poolSize) {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-bench-peers-sqlite-'));
    const file = (name: string) => join(dir, `${name}.db`);
    const raw = open(file('raw'));
    const peerDb = open(file('peer'));
    const ours = ['direct', 'express', 'fastify'].map(
      (name) => new SqliteStore({ database: file(name), namespace: 'bench' }),
    );
    const [direct, viaExpress, viaFastify] = ours as [SqliteStore, SqliteStore, SqliteStore];
    const PeerStore = peerStoreFor(session);
    const contender = (name: string, target: Target) => new TargetContender(name, target, poolSize);
    return {
      title: 'SQLite (better-sqlite3, file, WAL, synchronous NORMAL)',
      notes: [
        'Each system has its own database file; the raw and peer connections get the pragmas our store sets.',
        'better-sqlite3-session-store stores expiry as an ISO string compared with datetime() and prepares each statement per call (as shipped).',
      ],
      serverPids: [],
      contenders: [
        contender('raw: upsert/select, one table', rawTarget(raw)),
        contender('ours: SqliteStore', directTarget(direct)),
        ...ourAdapterTargets(viaExpress, viaFastify).map(([name, target]) =>
          contender(name, target),
        ),
        contender(
          'express: better-sqlite3-session-store',
          expressTarget(new PeerStore({ client: peerDb })),
        ),
      ],
      async close() {
        for (const store of ours) await store.close();
        raw.close();
        peerDb.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

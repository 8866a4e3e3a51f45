/**
 * SQLite: one database file shared by every app process, read raw through a connection of
 * its own. Storage is the namespace's rows and the bytes of the file and its write-ahead log.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '@sessions/sqlite';
import Database from 'better-sqlite3';
import type { SoakBackend } from './types.js';

function bytes(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/** The SQLite backend: three processes on one file. */
export const sqliteBackend: SoakBackend = {
  name: 'sqlite',
  processes: 3,
  unavailable: () => undefined,
  async deploy() {
    const dir = mkdtempSync(join(tmpdir(), 'sessions-soak-'));
    return {
      connection: { file: join(dir, 'sessions.db') },
      stop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  async openRaw({ file = '' }, namespace) {
    // Opened lazily: the store creates the file and the table after the probe exists.
    let db: Database.Database | undefined;
    const open = () => {
      db ??= new Database(file, { fileMustExist: true });
      return db;
    };
    return {
      async read(keys) {
        const select = open().prepare('SELECT data FROM sessions WHERE namespace = ? AND key = ?');
        const found = new Map<string, string>();
        for (const key of keys) {
          const row = select.get(namespace, key) as { data: string | Buffer } | undefined;
          if (row) found.set(key, String(row.data));
        }
        return found;
      },
      async storage() {
        const rows = open()
          .prepare('SELECT count(*) FROM sessions WHERE namespace = ?')
          .pluck()
          .get(namespace) as number;
        return {
          rows,
          fileBytes: bytes(file),
          walBytes: bytes(`${file}-wal`),
          totalBytes: bytes(file) + bytes(`${file}-wal`),
        };
      },
      async close() {
        db?.close();
      },
    };
  },
  openStore: async ({ file = '' }, namespace) => new SqliteStore({ database: file, namespace }),
};

// The shared conformance suite, twice: a file the stores open themselves (one connection
// each, as in production), and one in-memory database handed to every store.
import { describeStore } from '@sessions/conformance/vitest';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { sqliteRaw } from './support/raw.js';
import { tempDatabase } from './support/temp-db.js';

const temp = tempDatabase();
const memory = new Database(':memory:');
// A store creates the schema when it is built: raw access may run before any store operation.
await new SqliteStore({ database: temp.file }).close();
await new SqliteStore({ database: memory }).close();
const fileRaw = new Database(temp.file);
afterAll(() => {
  fileRaw.close();
  memory.close();
  temp.cleanup();
});

describeStore({
  name: 'sqlite (file)',
  capabilities: { nativeExpiry: 'none' },
  create: (ctx) => new SqliteStore({ database: temp.file, ...ctx }),
  raw: (_store, { namespace }) => sqliteRaw(fileRaw, namespace),
});

describeStore({
  name: 'sqlite (:memory:)',
  capabilities: { nativeExpiry: 'none' },
  create: (ctx) => new SqliteStore({ database: memory, ...ctx }),
  raw: (_store, { namespace }) => sqliteRaw(memory, namespace),
});

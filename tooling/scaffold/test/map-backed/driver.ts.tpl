/**
 * A finished driver, as a contributor would write it, with a `Map` standing in for the
 * {{name}} server: the end-to-end test writes it over the generated driver and expects the
 * whole conformance suite to pass with the generated store class unchanged.
 */
import {
  CONFLICT,
  type Conflict,
  type Operation,
  type RecordWrite,
  type StoreDriver,
  type StoredEntry,
} from '@sessions/core/kit';

/** One stored row. */
export interface {{Name}}Row {
  data: string;
  expiresAt: number;
  userId: string | undefined;
  version: number;
}

/** The "server": namespace → key → row. Share one between stores, as one server would be. */
export type {{Name}}Client = Map<string, Map<string, {{Name}}Row>>;

/** The rows of one namespace, created on first use. */
export function rowsOf(client: {{Name}}Client, namespace: string): Map<string, {{Name}}Row> {
  let rows = client.get(namespace);
  if (rows === undefined) {
    rows = new Map();
    client.set(namespace, rows);
  }
  return rows;
}

/** Synchronous primitives over a `Map`: each one is atomic, as a script or a transaction is. */
export class {{Name}}Driver implements StoreDriver {
  readonly #rows: Map<string, {{Name}}Row>;

  constructor(client: {{Name}}Client | undefined, namespace: string) {
    this.#rows = rowsOf(client ?? new Map(), namespace);
  }

  get(key: string): {{Name}}Row | undefined {
    return this.#rows.get(key);
  }

  set(write: RecordWrite, op: Operation): number | Conflict {
    const live = this.#live(write.key, op.now);
    if (write.ifVersion !== undefined && (live?.version ?? 0) !== write.ifVersion) return CONFLICT;
    const version = (live?.version ?? 0) + 1;
    const { data, expiresAt, userId } = write;
    this.#rows.set(write.key, { data, expiresAt, userId, version });
    return version;
  }

  touch(key: string, expiresAt: number, op: Operation): boolean {
    const live = this.#live(key, op.now);
    if (live !== undefined) live.expiresAt = expiresAt;
    return live !== undefined;
  }

  delete(key: string, ifVersion: number | undefined, op: Operation): boolean | Conflict {
    const live = this.#live(key, op.now);
    if (ifVersion !== undefined && (live?.version ?? 0) !== ifVersion) return CONFLICT;
    this.#rows.delete(key);
    return live !== undefined;
  }

  listByUser(userId: string): StoredEntry[] {
    return this.list().filter((entry) => entry.userId === userId);
  }

  deleteByUser(userId: string, except: string | undefined, op: Operation): number {
    let live = 0;
    for (const [key, row] of this.#rows) {
      if (row.userId !== userId || key === except) continue;
      if (op.now < row.expiresAt) live++;
      this.#rows.delete(key);
    }
    return live;
  }

  list(): StoredEntry[] {
    return [...this.#rows].map(([key, row]) => ({ key, ...row }));
  }

  clear(): void {
    this.#rows.clear();
  }

  prune(op: Operation): number {
    let removed = 0;
    for (const [key, row] of this.#rows) {
      if (row.expiresAt <= op.now && this.#rows.delete(key)) removed++;
    }
    return removed;
  }

  close(): void {}

  #live(key: string, now: number): {{Name}}Row | undefined {
    const row = this.#rows.get(key);
    return row !== undefined && now < row.expiresAt ? row : undefined;
  }
}

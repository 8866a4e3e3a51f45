/**
 * Redis's primitives for the store kit: one GET per `get`, one EVALSHA per `set`, `touch` and
 * `delete` (atomic with the user index and the compare-and-set), a script per bucket group for
 * the user index, SCAN pages for the namespace.
 */
import {
  CONFLICT,
  more,
  type Operation,
  type StoreDriver,
  type StoredEntry,
} from '@sessions/core/kit';
import { openClient, type RedisClient, type Send } from './client.js';
import { formatEnvelope, formatExpiresAt, parseEnvelope } from './envelope.js';
import { KeyLayout } from './layout.js';
import type { RedisStoreOptions } from './options.js';
import * as lua from './scripts.js';

/** A namespace of a Redis server or cluster as the kit's driver. Internal to `RedisStore`. */
export interface RedisDriver extends StoreDriver {
  readonly layout: KeyLayout;
  readonly client: RedisClient;
}

/** Where a paged SCAN of the namespace stands: which server, and its cursor there. */
type ScanCursor = { readonly nodes: Send[]; readonly node: number; readonly at: string };

// Replies as the kit takes them; a version conflict is -1 in every script.
const toStored = (text: unknown) => (text === null ? undefined : parseEnvelope(text as string));
const toVersion = (reply: unknown) => (reply === -1 ? CONFLICT : (reply as number));
const toRemoved = (reply: unknown) => (reply === -1 ? CONFLICT : reply === 1);
const isOne = (reply: unknown) => reply === 1;
const same = (reply: unknown) => reply;

/** Build the driver: `buckets` is checked first, then the client is opened. */
export function redisDriver(
  options: RedisStoreOptions<unknown>,
  namespace: string,
  operationTimeout: number,
): RedisDriver {
  const layout = new KeyLayout(namespace, options.buckets);
  const client = openClient(options, operationTimeout);

  /**
   * `script` by EVALSHA, its reply mapped by `then`. On NOSCRIPT (a restart, `SCRIPT FLUSH`, a
   * new cluster node) nothing ran, so it is sent once as EVAL, which caches it again; but not
   * once the caller was told the call failed (`op.expired`): no late write.
   */
  function run<R>(
    script: lua.LuaScript,
    keys: string[],
    args: string[],
    op: Operation,
    then: (reply: unknown) => R,
  ) {
    const first = keys[0] as string;
    const line = ['evalsha', script.sha, String(keys.length), ...keys, ...args];
    return client.send(line, first).then(then, (err: unknown) => {
      if (op.expired || !(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return client.send(['eval', script.source, ...line.slice(2)], first).then(then);
    });
  }

  /** A per-user script over every bucket: one call on a server, one per bucket on a cluster. */
  function perBucketGroup(script: lua.LuaScript, userId: string, args: string[], op: Operation) {
    const groups = client.isCluster ? layout.tags.map((tag) => [tag]) : [layout.tags];
    return Promise.all(
      groups.map((tags) => {
        const keys = tags.map((tag) => layout.userIndexKey(tag, userId));
        return run(script, keys, [...args, ...tags], op, same);
      }),
    );
  }

  /**
   * One page of a walk over the namespace: SCAN (never KEYS) the server, or each master of a
   * cluster in turn, then `onKeys` with what it found grouped by hash tag, so that multi-key
   * commands never cross slots. The kit bounds each page on its own.
   */
  async function scanPage<T>(
    op: Operation,
    cursor: ScanCursor | undefined,
    none: T,
    onKeys: (byTag: Map<string, string[]>) => Promise<T>,
  ) {
    const at = cursor ?? { nodes: await client.scanNodes(op.signal), node: 0, at: '0' };
    const scan = at.nodes[at.node];
    if (scan === undefined) return none;
    const line = ['scan', at.at, 'match', layout.scanPattern, 'count', '1000'];
    const [next, found] = (await scan(line)) as [string, string[]];
    const byTag = new Map<string, string[]>();
    for (const redisKey of found) {
      const tag = layout.owns(redisKey);
      if (tag !== undefined) byTag.get(tag)?.push(redisKey) ?? byTag.set(tag, [redisKey]);
    }
    // Once the caller was told this page failed, start nothing new.
    const value = byTag.size === 0 || op.expired ? none : await onKeys(byTag);
    if (next !== '0') return more(value, { ...at, at: next });
    if (at.node + 1 < at.nodes.length) return more(value, { ...at, node: at.node + 1, at: '0' });
    return value;
  }

  return {
    layout,
    client,
    get(key) {
      const redisKey = layout.sessionKey(key);
      return client.send(['get', redisKey], redisKey).then(toStored);
    },
    set({ key, data, expiresAt, userId, ifVersion }, op) {
      const tag = layout.tagOf(key);
      const sessionKey = layout.sessionKey(key, tag);
      const keys =
        userId === undefined ? [sessionKey] : [sessionKey, layout.userIndexKey(tag, userId)];
      // The finished stored text, with the version the write has unless the key was written in
      // between (then the script patches the digits): Lua never copies the payload.
      const value = formatEnvelope(expiresAt, (ifVersion ?? 0) + 1, userId, data);
      const args = [lua.packArgument(op.now, lua.packVersion(ifVersion), expiresAt), value];
      return run(lua.SET_SCRIPT, keys, args, op, toVersion);
    },
    touch(key, expiresAt, op) {
      const args = [lua.packArgument(op.now, formatExpiresAt(expiresAt), expiresAt)];
      return run(lua.TOUCH_SCRIPT, [layout.sessionKey(key)], args, op, isOne);
    },
    delete(key, ifVersion, op) {
      const args = [lua.packArgument(op.now, lua.packVersion(ifVersion))];
      return run(lua.DELETE_SCRIPT, [layout.sessionKey(key)], args, op, toRemoved);
    },
    async listByUser(userId, op) {
      const args = [String(op.now), userId];
      const replies = (await perBucketGroup(lua.LIST_SCRIPT, userId, args, op)) as string[][];
      const entries: StoredEntry[] = [];
      for (const flat of replies) {
        for (let i = 0; i + 1 < flat.length; i += 2) {
          entries.push({ key: flat[i] as string, ...parseEnvelope(flat[i + 1] as string) });
        }
      }
      return entries;
    },
    async deleteByUser(userId, except, op) {
      const args = [String(op.now), userId, except ?? ''];
      const counts = await perBucketGroup(lua.DELETE_USER_SCRIPT, userId, args, op);
      return counts.reduce<number>((sum, count) => sum + Number(count), 0);
    },
    // One SCAN page of the namespace, then one MGET per hash tag of what it found.
    list: (op, cursor) =>
      scanPage(op, cursor as ScanCursor | undefined, [], async (byTag) => {
        const reads = [...byTag].map(async ([tag, redisKeys]) => {
          const keys = redisKeys.filter((k) => layout.sessionIn(k, tag) !== undefined);
          const texts = keys.length === 0 ? [] : await client.send(['mget', ...keys], tag);
          return (texts as Array<string | null>).flatMap((text, i) => {
            const key = layout.sessionIn(keys[i] as string, tag) as string;
            return text === null ? [] : [{ key, ...parseEnvelope(text) }];
          });
        });
        return (await Promise.all(reads)).flat();
      }),
    // One SCAN page of the namespace, then one UNLINK per hash tag of what it found.
    clear: (op, cursor) =>
      scanPage(op, cursor as ScanCursor | undefined, undefined, async (byTag) => {
        await Promise.all([...byTag].map(([tag, keys]) => client.send(['unlink', ...keys], tag)));
        return undefined;
      }),
    // A created client's goodbye (QUIT) may take half the bound; the rest is for the kit.
    close: (op) => client.close?.(Math.max(0, op.remaining() / 2)),
    // A key of this namespace that holds another Redis type is not a session: `CORRUPT`.
    classify: (error) =>
      error instanceof Error && error.message.startsWith('WRONGTYPE') ? 'corrupt' : undefined,
  };
}

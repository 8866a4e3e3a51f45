/**
 * The Lua scripts behind every write. Each runs as one EVALSHA (one round trip, atomic on the
 * server); when the server does not know the script (first use, a restart, `SCRIPT FLUSH`)
 * the same call is repeated once as EVAL, which also caches it again.
 *
 * Conventions shared by the scripts:
 * - `now` is the application clock (an ARGV): it alone decides what is live (`now < e`);
 * - the native expiry is relative (`PX` / `PEXPIRE` of `expiresAt - now`, computed by the
 *   caller), so Redis drops a record when the application's clock reaches `expiresAt`, whatever
 *   the skew between the two clocks; numbers go back to Redis as the caller's strings;
 * - a record's header (see envelope.ts) is read with GETRANGE, never the whole payload;
 * - a user's index key is built from the bucket's hash tag, so it is in the slot of the
 *   session key the script declared (Redis Cluster allows that; no CROSSSLOT is possible).
 */
import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { EXPIRES_AT_WIDTH, HEADER_PROBE_BYTES } from './envelope.js';

/** An ioredis client the store can talk to. */
export type RedisClient = Redis | Cluster;

/** A Lua script with its SHA1, computed once. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

function lua(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

// Lua fragments. READ_HEADER sets e, v, owner (nil when the key is missing or not ours) from
// the first 64 bytes, which hold every header whose userId is short, and reads up to the
// longest possible header only when they do not: the payload is never copied into Lua.
const HEADER = "'^(%-?%d+):(%d+):([^\\n]*)\\n'";
const READ_HEADER = (key: string) => `
local head = redis.call('GETRANGE', ${key}, 0, 63)
if #head == 64 and not string.find(head, '\\n', 1, true) then
  head = redis.call('GETRANGE', ${key}, 0, ${HEADER_PROBE_BYTES - 1})
end
local e, v, owner = string.match(head, ${HEADER})`;
// Keep a user's index trimmed and alive at least as long as its newest member.
const REINDEX = (idx: string, now: string, ttl: string) => `
  redis.call('ZREMRANGEBYSCORE', ${idx}, '-inf', ${now})
  if redis.call('PTTL', ${idx}) < tonumber(${ttl}) then redis.call('PEXPIRE', ${idx}, ${ttl}) end`;

/**
 * Compare-and-set write. KEYS: session, [new owner's index]. ARGV: tag, now, ifVersion|'',
 * data, expiresAt (stored form), userId|'', key, ttl. Returns the new version, 0 when it
 * deleted (expiresAt <= now), -1 on a version conflict (nothing changed).
 */
export const SET_SCRIPT = lua(
  'set',
  `
local now = tonumber(ARGV[2])${READ_HEADER('KEYS[1]')}
local version = 0
if e and tonumber(e) > now then version = tonumber(v) end
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= version then return -1 end
local live = tonumber(ARGV[5]) > now
if owner and owner ~= '' and (owner ~= ARGV[6] or not live) then
  redis.call('ZREM', ARGV[1] .. ':u:' .. owner, ARGV[7])
end
if not live then
  redis.call('DEL', KEYS[1])
  return 0
end
version = version + 1
redis.call('SET', KEYS[1], ARGV[5] .. ':' .. version .. ':' .. ARGV[6] .. '\\n' .. ARGV[4], 'PX', ARGV[8])
if ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])${REINDEX('KEYS[2]', 'ARGV[2]', 'ARGV[8]')}
end
return version`,
);

/**
 * Move a live record's expiry. KEYS: session. ARGV: tag, now, expiresAt (stored form), key,
 * ttl. Returns 1 if the record was live (and moved or, for a past expiresAt, deleted), else 0.
 */
export const TOUCH_SCRIPT = lua(
  'touch',
  `
local now = tonumber(ARGV[2])${READ_HEADER('KEYS[1]')}
if not e or tonumber(e) <= now then return 0 end
local idx = owner ~= '' and (ARGV[1] .. ':u:' .. owner)
if tonumber(ARGV[3]) <= now then
  redis.call('DEL', KEYS[1])
  if idx then redis.call('ZREM', idx, ARGV[4]) end
  return 1
end
if #e == ${EXPIRES_AT_WIDTH} then
  redis.call('SETRANGE', KEYS[1], 0, ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[3] .. string.sub(redis.call('GET', KEYS[1]), #e + 1))
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if idx then
  redis.call('ZADD', idx, ARGV[3], ARGV[4])${REINDEX('idx', 'ARGV[2]', 'ARGV[5]')}
end
return 1`,
);

/**
 * Remove a record and its index entry. KEYS: session. ARGV: tag, now, key.
 * Returns 1 if the removed record was live, else 0.
 */
export const DELETE_SCRIPT = lua(
  'delete',
  `${READ_HEADER('KEYS[1]')}
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
if owner and owner ~= '' then redis.call('ZREM', ARGV[1] .. ':u:' .. owner, ARGV[3]) end
if e and tonumber(e) > tonumber(ARGV[2]) then return 1 end
return 0`,
);

/**
 * A user's live sessions in the given buckets. KEYS: the user's index in each bucket.
 * ARGV: now, userId, then the tag of each KEYS entry. Trims expired and stale index entries
 * on the way. Returns a flat list: key, stored text, key, stored text, ...
 */
export const LIST_SCRIPT = lua(
  'list',
  `
local now = tonumber(ARGV[1])
local out = {}
for i, idx in ipairs(KEYS) do
  local tag = ARGV[2 + i]
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', ARGV[1])
  for _, member in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
    local whole = redis.call('GET', tag .. ':s:' .. member)
    local e, v, owner
    if whole then e, v, owner = string.match(whole, ${HEADER}) end
    if owner ~= ARGV[2] then
      redis.call('ZREM', idx, member)
    elseif tonumber(e) > now then
      out[#out + 1] = member
      out[#out + 1] = whole
    end
  end
end
return out`,
);

/**
 * Delete a user's sessions in the given buckets, except one key. KEYS: the user's index in
 * each bucket. ARGV: now, userId, except|'', then the tag of each KEYS entry. Returns how
 * many live sessions went.
 */
export const DELETE_USER_SCRIPT = lua(
  'deleteByUser',
  `
local now = tonumber(ARGV[1])
local removed = 0
for i, idx in ipairs(KEYS) do
  local tag = ARGV[3 + i]
  for _, member in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
    if member ~= ARGV[3] then
      local key = tag .. ':s:' .. member${READ_HEADER('key')}
      if owner == ARGV[2] then
        if tonumber(e) > now then removed = removed + 1 end
        redis.call('DEL', key)
      end
      redis.call('ZREM', idx, member)
    end
  end
end
return removed`,
);

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/**
 * Run `script` with EVALSHA; if the server lost it (restart, `SCRIPT FLUSH`, a new cluster
 * node), run it once as EVAL, which caches it again. A NOSCRIPT reply means nothing ran, so
 * the retry cannot apply a write twice. No retry once `deadline` (epoch ms) has passed: the
 * caller was already told the operation failed, so a late write must not happen after all.
 */
export function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
  deadline = Number.POSITIVE_INFINITY,
): Promise<unknown> {
  return client.evalsha(script.sha, keys.length, ...keys, ...args).catch((err: unknown) => {
    if (!isNoScript(err) || Date.now() >= deadline) throw err;
    return client.eval(script.source, keys.length, ...keys, ...args);
  });
}

/**
 * The Lua scripts behind every write. Each runs as one EVALSHA (one round trip, atomic on the
 * server); when the server does not know the script (first use, a restart, `SCRIPT FLUSH`)
 * the same call is repeated once as EVAL, which also caches it again.
 *
 * Conventions shared by the scripts:
 * - `now` is the application clock (an ARGV): it alone decides what is live (`now < e`);
 * - numbers go back to Redis as the caller's strings, or formatted with `%.0f`, never through
 *   Lua's default number formatting, which rounds to 14 digits;
 * - a user's index key is built from the bucket's hash tag, so it is in the slot of the
 *   session key the script declared (Redis Cluster allows that; no CROSSSLOT is possible).
 */
import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** An ioredis client the store can talk to. */
export type RedisClient = Redis | Cluster;

/** A Lua script with its SHA1, computed once. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

function lua(name: string, body: string): LuaScript {
  const source = `${HELPERS}\n${body}`;
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

// If the app's clock runs behind the server's by more than a second (skew), extend the native
// expiry by the lag, so Redis never drops a record the application still considers live.
const HELPERS = `
local function nativeAt(at, now)
  local t = redis.call('TIME')
  local lag = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - now
  if lag > 1000 then at = at + lag end
  return string.format('%.0f', at)
end
local function reindex(idx, nowText, now)
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', nowText)
  local top = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
  if top[2] then redis.call('PEXPIREAT', idx, nativeAt(tonumber(top[2]), now)) end
end`;

/**
 * Compare-and-set write. KEYS: session, [new owner's index]. ARGV: tag, now, ifVersion|'',
 * data, expiresAt, userId|'', key. Returns the new version, 0 when it deleted, -1 on conflict.
 */
export const SET_SCRIPT = lua(
  'set',
  `
local now = tonumber(ARGV[2])
local cur = redis.call('HMGET', KEYS[1], 'e', 'v', 'u')
local e = tonumber(cur[1])
local version = 0
if e and e > now then version = tonumber(cur[2]) or 0 end
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= version then return -1 end
local exp = tonumber(ARGV[5])
local owner = cur[3]
if owner and (owner ~= ARGV[6] or exp <= now) then
  redis.call('ZREM', ARGV[1] .. ':u:' .. owner, ARGV[7])
end
if exp <= now then
  redis.call('DEL', KEYS[1])
  return 0
end
version = version + 1
if ARGV[6] == '' then
  if owner then redis.call('HDEL', KEYS[1], 'u') end
  redis.call('HSET', KEYS[1], 'd', ARGV[4], 'e', ARGV[5], 'v', version)
else
  redis.call('HSET', KEYS[1], 'd', ARGV[4], 'e', ARGV[5], 'v', version, 'u', ARGV[6])
end
redis.call('PEXPIREAT', KEYS[1], nativeAt(exp, now))
if ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[7])
  reindex(KEYS[2], ARGV[2], now)
end
return version`,
);

/**
 * Move a live record's expiry. KEYS: session. ARGV: tag, now, expiresAt, key.
 * Returns 1 if the record was live (and moved or, for a past expiresAt, deleted), else 0.
 */
export const TOUCH_SCRIPT = lua(
  'touch',
  `
local now = tonumber(ARGV[2])
local cur = redis.call('HMGET', KEYS[1], 'e', 'u')
local e = tonumber(cur[1])
if not e or e <= now then return 0 end
local exp = tonumber(ARGV[3])
local idx = cur[2] and (ARGV[1] .. ':u:' .. cur[2])
if exp <= now then
  redis.call('DEL', KEYS[1])
  if idx then redis.call('ZREM', idx, ARGV[4]) end
  return 1
end
redis.call('HSET', KEYS[1], 'e', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], nativeAt(exp, now))
if idx then
  redis.call('ZADD', idx, ARGV[3], ARGV[4])
  reindex(idx, ARGV[2], now)
end
return 1`,
);

/**
 * Remove a record and its index entry. KEYS: session. ARGV: tag, now, key.
 * Returns 1 if the removed record was live, else 0.
 */
export const DELETE_SCRIPT = lua(
  'delete',
  `
local cur = redis.call('HMGET', KEYS[1], 'e', 'u')
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
if cur[2] then redis.call('ZREM', ARGV[1] .. ':u:' .. cur[2], ARGV[3]) end
local e = tonumber(cur[1])
if e and e > tonumber(ARGV[2]) then return 1 end
return 0`,
);

/**
 * A user's live sessions in the given buckets. KEYS: the user's index in each bucket.
 * ARGV: now, userId, then the tag of each KEYS entry. Trims expired and stale index entries
 * on the way. Returns a flat list: key, data, expiresAt, version, key, data, ...
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
    local r = redis.call('HMGET', tag .. ':s:' .. member, 'd', 'e', 'v', 'u')
    local e = tonumber(r[2])
    if r[4] ~= ARGV[2] then
      redis.call('ZREM', idx, member)
    elseif e and e > now then
      out[#out + 1] = member
      out[#out + 1] = r[1]
      out[#out + 1] = r[2]
      out[#out + 1] = r[3]
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
      local key = tag .. ':s:' .. member
      local r = redis.call('HMGET', key, 'e', 'u')
      if r[2] == ARGV[2] then
        local e = tonumber(r[1])
        if e and e > now then removed = removed + 1 end
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
 * the retry cannot apply a write twice.
 */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!isNoScript(err)) throw err;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}

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
 *   session key the script declared (Redis Cluster allows that; no CROSSSLOT is possible);
 * - few arguments: the small ones travel packed in one `:`-separated string, and the tag and
 *   the session's name are cut from the key itself. Each argument costs the client as much
 *   as a short script costs the server (measured: six more arguments, 9% less throughput);
 * - few conversions, counted in instructions (callgrind) on the server: numbers handed to
 *   `redis.call` are string literals (Redis formats a Lua number with `snprintf` each time),
 *   and numbers in ARGV are compared by arithmetic on the strings (`e - now > 0` converts each
 *   string once; `tonumber` converts it twice). That took the set script from 74k to 66k
 *   instructions per call. The floor is the call itself and the write, 35k: Redis hashes
 *   every byte of an argument into Lua, so a 1 KiB payload costs about 10k just to arrive.
 */
import { createHash } from 'node:crypto';
import type { Deadline } from '@sessions/core';
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
local head = redis.call('GETRANGE', ${key}, '0', '63')
if #head == 64 and not string.find(head, '\\n', 1, true) then
  head = redis.call('GETRANGE', ${key}, '0', '${HEADER_PROBE_BYTES - 1}')
end
local e, v, owner = string.match(head, ${HEADER})`;
// A session key is `<tag>:s:<name>` and a tag never holds a brace but its own: the tag ends at
// the first `}`. Cut only on the paths that touch an index (the plain write does not).
const SPLIT_KEY = `
local function split(key)
  local close = string.find(key, '}', 1, true)
  return string.sub(key, 1, close), string.sub(key, close + 4)
end`;
// Keep a user's index trimmed and alive at least as long as its newest member.
const REINDEX = (idx: string, now: string, ttl: string) => `
  redis.call('ZREMRANGEBYSCORE', ${idx}, '-inf', ${now})
  if ${ttl} - redis.call('PTTL', ${idx}) > 0 then redis.call('PEXPIRE', ${idx}, ${ttl}) end`;

/** The packed first argument of {@link SET_SCRIPT}. */
export function setArgument(
  now: number,
  ifVersion: number | undefined,
  ttl: number,
  expiresAt: string,
  userId: string | undefined,
): string {
  return `${now}:${ifVersion ?? ''}:${ttl}:${expiresAt}:${userId ?? ''}`;
}

/**
 * Compare-and-set write. KEYS: session, [new owner's index]. ARGV: `now:ifVersion:ttl:
 * expiresAt:userId` (see {@link setArgument}; ifVersion and userId empty when not given),
 * data. Returns the new version, 0 when it deleted (expiresAt <= now), -1 on a version
 * conflict (nothing changed).
 */
export const SET_SCRIPT = lua(
  'set',
  `
local now, ifVersion, ttl, expiresAt, userId = string.match(ARGV[1], '^([^:]*):([^:]*):([^:]*):([^:]*):(.*)$')${READ_HEADER('KEYS[1]')}
-- Versions stay strings unless counted: both sides write them as plain decimals.
if not e or e - now <= 0 then v = '0' end
if ifVersion ~= '' and ifVersion ~= v then return -1 end
local live = expiresAt - now > 0${SPLIT_KEY}
local tag, name
if owner and owner ~= '' and (owner ~= userId or not live) then
  tag, name = split(KEYS[1])
  redis.call('ZREM', tag .. ':u:' .. owner, name)
end
if not live then
  redis.call('DEL', KEYS[1])
  return 0
end
local version = v + 1
redis.call('SET', KEYS[1], expiresAt .. ':' .. version .. ':' .. userId .. '\\n' .. ARGV[2], 'PX', ttl)
if userId ~= '' then
  if not name then tag, name = split(KEYS[1]) end
  redis.call('ZADD', KEYS[2], expiresAt, name)${REINDEX('KEYS[2]', 'now', 'ttl')}
end
return version`,
);

/** The packed argument of {@link TOUCH_SCRIPT}. */
export function touchArgument(now: number, ttl: number, expiresAt: string): string {
  return `${now}:${ttl}:${expiresAt}`;
}

/**
 * Move a live record's expiry. KEYS: session. ARGV: `now:ttl:expiresAt` (see
 * {@link touchArgument}). Returns 1 if the record was live (and moved or, for a past
 * expiresAt, deleted), else 0.
 */
export const TOUCH_SCRIPT = lua(
  'touch',
  `
local now, ttl, expiresAt = string.match(ARGV[1], '^([^:]*):([^:]*):([^:]*)$')${READ_HEADER('KEYS[1]')}
if not e or e - now <= 0 then return 0 end${SPLIT_KEY}
local tag, name = split(KEYS[1])
local idx = owner ~= '' and (tag .. ':u:' .. owner)
if expiresAt - now <= 0 then
  redis.call('DEL', KEYS[1])
  if idx then redis.call('ZREM', idx, name) end
  return 1
end
if #e == ${EXPIRES_AT_WIDTH} then
  redis.call('SETRANGE', KEYS[1], '0', expiresAt)
else
  redis.call('SET', KEYS[1], expiresAt .. string.sub(redis.call('GET', KEYS[1]), #e + 1))
end
redis.call('PEXPIRE', KEYS[1], ttl)
if idx then
  redis.call('ZADD', idx, expiresAt, name)${REINDEX('idx', 'now', 'ttl')}
end
return 1`,
);

/**
 * Remove a record and its index entry. KEYS: session. ARGV: now.
 * Returns 1 if the removed record was live, else 0.
 */
export const DELETE_SCRIPT = lua(
  'delete',
  `${READ_HEADER('KEYS[1]')}
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
if owner and owner ~= '' then${SPLIT_KEY}
  local tag, name = split(KEYS[1])
  redis.call('ZREM', tag .. ':u:' .. owner, name)
end
if e and e - ARGV[1] > 0 then return 1 end
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
  for _, member in ipairs(redis.call('ZRANGE', idx, '0', '-1')) do
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
  for _, member in ipairs(redis.call('ZRANGE', idx, '0', '-1')) do
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
 * the retry cannot apply a write twice. No retry once the deadline has passed: the caller was
 * already told the operation failed, so a late write must not happen after all.
 */
export function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
  deadline: Deadline,
): Promise<unknown> {
  return client.evalsha(script.sha, keys.length, ...keys, ...args).catch((err: unknown) => {
    if (!isNoScript(err) || deadline.passed) throw err;
    return client.eval(script.source, keys.length, ...keys, ...args);
  });
}

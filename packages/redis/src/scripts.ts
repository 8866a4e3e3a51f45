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
 * - a record's header (see envelope.ts) is read with GETRANGE and cut at fixed places, never
 *   pattern-matched, and the payload is never copied into Lua: `set` receives the whole
 *   stored text from the caller and hands it to SET as it is;
 * - a user's index key is built from the bucket's hash tag, so it is in the slot of the
 *   session key the script declared (Redis Cluster allows that; no CROSSSLOT is possible);
 * - few arguments: the small ones travel packed in one string, and the tag and the session's
 *   name are cut from the key itself. Each argument costs the client as much as a short script
 *   costs the server (measured: six more arguments, 9% less throughput);
 * - few conversions, counted in instructions (callgrind) on the server: numbers handed to
 *   `redis.call` are string literals (Redis formats a Lua number with `snprintf` each time),
 *   and numbers in ARGV are compared by arithmetic on the strings (`e - now > 0` converts each
 *   string once; `tonumber` converts it twice).
 *
 * What that buys, in instructions per unconditional `set` of 1 KiB over a live record: 52k,
 * down from 65k when the script built the stored text itself (and 74k before the conversions
 * above). Where the 52k go: the call itself and its arguments 21k (Redis hashes every byte of
 * a Lua string, and the payload arrives as one: 13k), SET 13k, GETRANGE 5k, SETRANGE of the
 * version 4k, the rest 9k. A raw SET is 5k.
 */
import { createHash } from 'node:crypto';
import type { Deadline } from '@sessions/core';
import type { Cluster, Redis } from 'ioredis';
import {
  EXPIRES_AT_WIDTH,
  formatEnvelope,
  formatExpiresAt,
  formatVersion,
  HEADER_PROBE_BYTES,
  nativeTtl,
  USER_AT,
  VERSION_WIDTH,
} from './envelope.js';

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

// Lua fragments. Each script starts with LOCALS: a global (`string`, `redis`) costs a table
// lookup at every use.
const LOCALS = 'local sub, byte, find, call = string.sub, string.byte, string.find, redis.call';
// The header's places as Lua counts them (from 1): expiresAt 1-17, `:` 18, version 19-34,
// `:` 35, the userId from 36 to the newline.
const COLON_1 = EXPIRES_AT_WIDTH + 1;
const VERSION_FROM = COLON_1 + 1;
const COLON_2 = USER_AT;
const USER_FROM = USER_AT + 1;
// And those of the set script's packed argument: now 1-17, ifVersion 18-33, ttl from 34.
const ARG_IF_VERSION = EXPIRES_AT_WIDTH + 1;
const ARG_TTL = ARG_IF_VERSION + VERSION_WIDTH;
// PARSE_HEADER sets e (a number), v (the version's digits) and owner ('' when none) from the
// header at the start of `text`, or leaves all three nil when `text` holds no header of ours.
// Cut at fixed places, which costs the server less than matching a pattern.
const PARSE_HEADER = (text: string) => `
local e, v, owner = tonumber(sub(${text}, 1, ${EXPIRES_AT_WIDTH}))
if e then
  local nl = byte(${text}, ${COLON_1}) == 58 and byte(${text}, ${COLON_2}) == 58 and find(${text}, '\\n', ${USER_FROM}, true)
  if nl then
    v, owner = sub(${text}, ${VERSION_FROM}, ${COLON_2 - 1}), sub(${text}, ${USER_FROM}, nl - 1)
  else
    e = nil
  end
end`;
// READ_HEADER reads the header of the record at `key` with GETRANGE: the first 64 bytes, which
// hold every header whose userId is short, and up to the longest possible header only when they
// do not. The payload is never copied into Lua.
const READ_HEADER = (key: string) => `
local head = call('GETRANGE', ${key}, '0', '63')
if #head == 64 and not find(head, '\\n', ${USER_FROM}, true) then
  head = call('GETRANGE', ${key}, '0', '${HEADER_PROBE_BYTES - 1}')
end${PARSE_HEADER('head')}`;
// A session key is `<tag>:s:<name>` and a tag never holds a brace but its own: the tag ends at
// the first `}`. Cut only on the paths that touch an index (the plain write does not).
const TAG = (key: string) => `sub(${key}, 1, find(${key}, '}', 1, true))`;
const NAME = (key: string) => `sub(${key}, find(${key}, '}', 1, true) + 4)`;
// Keep a user's index trimmed and alive at least as long as its newest member.
const REINDEX = (idx: string, now: string, ttl: string) => `
  call('ZREMRANGEBYSCORE', ${idx}, '-inf', ${now})
  if ${ttl} - call('PTTL', ${idx}) > 0 then call('PEXPIRE', ${idx}, ${ttl}) end`;

/** What the set script's argument holds in place of a version when the write is unconditional. */
const NO_VERSION = '-'.repeat(VERSION_WIDTH);

/**
 * The packed first argument of {@link SET_SCRIPT}: `now` and `ifVersion` at fixed widths, then
 * the native lifetime in ms, 0 when the record is already expired (the write deletes).
 */
export function setArgument(now: number, ifVersion: number | undefined, expiresAt: number): string {
  const version = ifVersion === undefined ? NO_VERSION : formatVersion(ifVersion);
  const ttl = expiresAt > now ? nativeTtl(expiresAt, now) : 0;
  // A clock may return fractions of a millisecond; stored expiries are whole, and
  // `e > now` holds exactly when `e > floor(now)`, so the fixed width keeps the same answer.
  return `${formatExpiresAt(Math.floor(now))}${version}${ttl}`;
}

/**
 * The whole stored text a `set` sends: the new record with the version it will have if nothing
 * else wrote the key in between (`ifVersion + 1`, or 1 for a new record). The script keeps the
 * text as it is, unless the version turns out to be another (an unconditional write over a
 * live record): then it overwrites the version's digits in place, never the data.
 */
export function setValue(
  expiresAt: number,
  ifVersion: number | undefined,
  userId: string | undefined,
  data: string,
): string {
  return formatEnvelope({ expiresAt, version: (ifVersion ?? 0) + 1, userId, data });
}

/**
 * Compare-and-set write. KEYS: session, [new owner's index]. ARGV: the packed `now`, `ifVersion`
 * and `ttl` (see {@link setArgument}), then the stored text to write (see {@link setValue}).
 * Returns the new version, 0 when it deleted (expiresAt <= now), -1 on a version conflict
 * (nothing changed).
 *
 * The data is never copied inside Lua: the text goes to SET as it came (Redis hashes every byte
 * of a Lua string, so building the text here cost a fifth of the script), and a version the
 * caller could not know is patched with SETRANGE.
 */
export const SET_SCRIPT = lua(
  'set',
  `${LOCALS}
local a, key, value = ARGV[1], KEYS[1], ARGV[2]
local now, ifVersion, ttl = sub(a, 1, ${EXPIRES_AT_WIDTH}), sub(a, ${ARG_IF_VERSION}, ${ARG_TTL - 1}), sub(a, ${ARG_TTL})${READ_HEADER('key')}
-- Versions stay strings unless counted: both sides write them with the same fixed width.
if not e or e - now <= 0 then v = '${formatVersion(0)}' end
if ifVersion ~= '${NO_VERSION}' and ifVersion ~= v then return -1 end
local live = ttl ~= '0'
if owner and owner ~= '' and (not live or owner ~= sub(value, ${USER_FROM}, find(value, '\\n', ${USER_FROM}, true) - 1)) then
  call('ZREM', ${TAG('key')} .. ':u:' .. owner, ${NAME('key')})
end
if not live then
  call('DEL', key)
  return 0
end
local version = v + 1
call('SET', key, value, 'PX', ttl)
if ifVersion == '${NO_VERSION}' and version ~= 1 then
  call('SETRANGE', key, '${COLON_1}', string.format('%0${VERSION_WIDTH}d', version))
end
if KEYS[2] then
  call('ZADD', KEYS[2], sub(value, 1, ${EXPIRES_AT_WIDTH}), ${NAME('key')})${REINDEX('KEYS[2]', 'now', 'ttl')}
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
  `${LOCALS}
local now, ttl, expiresAt = string.match(ARGV[1], '^([^:]*):([^:]*):([^:]*)$')${READ_HEADER('KEYS[1]')}
if not e or e - now <= 0 then return 0 end
local name = ${NAME('KEYS[1]')}
local idx = owner ~= '' and (${TAG('KEYS[1]')} .. ':u:' .. owner)
if expiresAt - now <= 0 then
  call('DEL', KEYS[1])
  if idx then call('ZREM', idx, name) end
  return 1
end
call('SETRANGE', KEYS[1], '0', expiresAt)
call('PEXPIRE', KEYS[1], ttl)
if idx then
  call('ZADD', idx, expiresAt, name)${REINDEX('idx', 'now', 'ttl')}
end
return 1`,
);

/**
 * Remove a record and its index entry. KEYS: session. ARGV: now.
 * Returns 1 if the removed record was live, else 0.
 */
export const DELETE_SCRIPT = lua(
  'delete',
  `${LOCALS}${READ_HEADER('KEYS[1]')}
if call('DEL', KEYS[1]) == 0 then return 0 end
if owner and owner ~= '' then
  call('ZREM', ${TAG('KEYS[1]')} .. ':u:' .. owner, ${NAME('KEYS[1]')})
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
  `${LOCALS}
local now = tonumber(ARGV[1])
local out = {}
for i, idx in ipairs(KEYS) do
  local tag = ARGV[2 + i]
  call('ZREMRANGEBYSCORE', idx, '-inf', ARGV[1])
  for _, member in ipairs(call('ZRANGE', idx, '0', '-1')) do
    local whole = call('GET', tag .. ':s:' .. member) or ''${PARSE_HEADER('whole')}
    if owner ~= ARGV[2] then
      call('ZREM', idx, member)
    elseif e > now then
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
  `${LOCALS}
local now = tonumber(ARGV[1])
local removed = 0
for i, idx in ipairs(KEYS) do
  local tag = ARGV[3 + i]
  for _, member in ipairs(call('ZRANGE', idx, '0', '-1')) do
    if member ~= ARGV[3] then
      local key = tag .. ':s:' .. member${READ_HEADER('key')}
      if owner == ARGV[2] then
        if e > now then removed = removed + 1 end
        call('DEL', key)
      end
      call('ZREM', idx, member)
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

/**
 * The Lua scripts behind every write, generated from the layout (layout.ts) and the header
 * (envelope.ts), so no offset or separator is written twice. Each runs as one EVALSHA: one
 * round trip, atomic on the server.
 *
 * - `now` is the application clock: it alone decides what is live (`e - now > 0`); the native
 *   expiry is relative (`PX` / `PEXPIRE` of `expiresAt - now`), so skew between the clocks
 *   changes nothing;
 * - a user's index key is built from the session key's own hash tag: the same slot, so no
 *   CROSSSLOT on a cluster;
 * - the payload is never copied into Lua, the small arguments travel packed at fixed widths
 *   in one string, numbers go to `redis.call` as strings: the README's "Benchmarks" has the
 *   instruction counts behind each choice.
 */
import { createHash } from 'node:crypto';
import {
  EXPIRES_AT_WIDTH,
  formatExpiresAt,
  formatVersion,
  luaHeader as header,
  nativeTtl,
  VERSION_WIDTH,
} from './envelope.js';
import { luaKeys as keys } from './layout.js';

/** A Lua script with its SHA1, computed once. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

function lua(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

// Each script starts with these: a global (`string`, `redis`) costs a table lookup at every use.
const LOCALS = 'local sub, byte, find, call = string.sub, string.byte, string.find, redis.call';

// The packed first argument: `now` (EXPIRES_AT_WIDTH), then `ifVersion` (VERSION_WIDTH) or an
// `expiresAt` (EXPIRES_AT_WIDTH), then the native lifetime in ms, each at a fixed place.
const NOW_END = EXPIRES_AT_WIDTH;
const AFTER_VERSION = NOW_END + VERSION_WIDTH + 1;
const AFTER_EXPIRY = NOW_END + EXPIRES_AT_WIDTH + 1;
/** In place of `ifVersion` when the write is unconditional. */
const NO_VERSION = '-'.repeat(VERSION_WIDTH);
const ZERO = formatVersion(0);

/** A clock may return fractions of a ms; `e > now` holds exactly when `e > floor(now)`. */
const packNow = (now: number) => formatExpiresAt(Math.floor(now));
const packVersion = (ifVersion: number | undefined) =>
  ifVersion === undefined ? NO_VERSION : formatVersion(ifVersion);

/** {@link SET_SCRIPT}'s packed argument: `now`, `ifVersion`, the native lifetime. */
export function setArgument(now: number, ifVersion: number | undefined, expiresAt: number): string {
  return `${packNow(now)}${packVersion(ifVersion)}${nativeTtl(expiresAt, now)}`;
}

/** {@link DELETE_SCRIPT}'s packed argument: `now`, `ifVersion`. */
export function deleteArgument(now: number, ifVersion: number | undefined): string {
  return `${packNow(now)}${packVersion(ifVersion)}`;
}

/** {@link TOUCH_SCRIPT}'s packed argument: `now`, the new `expiresAt`, the native lifetime. */
export function touchArgument(now: number, expiresAt: number): string {
  return `${packNow(now)}${formatExpiresAt(expiresAt)}${nativeTtl(expiresAt, now)}`;
}

// The live version (`v`, ZERO when there is no live record) against `ifVersion`. Versions stay
// strings unless counted: both sides write them with the same fixed width.
const CHECK_VERSION = `
if not e or e - now <= 0 then v = '${ZERO}' end
if ifVersion ~= '${NO_VERSION}' and ifVersion ~= v then return -1 end`;

// Take the record at `key` out of its owner's index (the owner read from its header).
const UNINDEX = `call('ZREM', ${keys.userIndex(keys.tagOf('key'), 'owner')}, ${keys.sessionOf('key')})`;

// Keep a user's index trimmed and alive at least as long as its newest member.
const REINDEX = (idx: string) => `
  call('ZREMRANGEBYSCORE', ${idx}, '-inf', now)
  if ttl - call('PTTL', ${idx}) > 0 then call('PEXPIRE', ${idx}, ttl) end`;

/**
 * Compare-and-set write. KEYS: session, [new owner's index]. ARGV: {@link setArgument}, then
 * the whole stored text with the version the write has if the key was not written in between
 * (`ifVersion + 1`, or 1). Returns the new version, or -1 on a version conflict (nothing
 * changed). Only an unconditional write over a live record learns its version here: its
 * digits are then patched in place (SETRANGE), never the data.
 */
export const SET_SCRIPT = lua(
  'set',
  `${LOCALS}
local a, key, value = ARGV[1], KEYS[1], ARGV[2]
local now, ifVersion, ttl = sub(a, 1, ${NOW_END}), sub(a, ${NOW_END + 1}, ${AFTER_VERSION - 1}), sub(a, ${AFTER_VERSION})${header.read('key')}${CHECK_VERSION}
if owner and owner ~= '' and owner ~= ${header.ownerOf('value')} then ${UNINDEX} end
local version = v + 1
call('SET', key, value, 'PX', ttl)
if ifVersion == '${NO_VERSION}' and version ~= 1 then ${header.writeVersion('key', 'version')} end
if KEYS[2] then
  call('ZADD', KEYS[2], ${header.expiresAtOf('value')}, ${keys.sessionOf('key')})${REINDEX('KEYS[2]')}
end
return version`,
);

/**
 * Move a live record's expiry (always to after `now`: the kit sends a touch into the past as
 * a delete). KEYS: session. ARGV: {@link touchArgument}. Returns 1 if the record was live,
 * else 0 (and nothing changed).
 */
export const TOUCH_SCRIPT = lua(
  'touch',
  `${LOCALS}
local a, key = ARGV[1], KEYS[1]
local now, expiresAt, ttl = sub(a, 1, ${NOW_END}), sub(a, ${NOW_END + 1}, ${AFTER_EXPIRY - 1}), sub(a, ${AFTER_EXPIRY})${header.read('key')}
if not e or e - now <= 0 then return 0 end
${header.writeExpiresAt('key', 'expiresAt')}
call('PEXPIRE', key, ttl)
if owner ~= '' then
  local idx = ${keys.userIndex(keys.tagOf('key'), 'owner')}
  call('ZADD', idx, expiresAt, ${keys.sessionOf('key')})${REINDEX('idx')}
end
return 1`,
);

/**
 * Remove a record (live or expired) and its index entry, with the compare-and-set of a `set`
 * into the past. KEYS: session. ARGV: {@link deleteArgument}. Returns 1 if the removed record
 * was live, 0 if it was not, -1 on a version conflict (nothing changed).
 */
export const DELETE_SCRIPT = lua(
  'delete',
  `${LOCALS}
local a, key = ARGV[1], KEYS[1]
local now, ifVersion = sub(a, 1, ${NOW_END}), sub(a, ${NOW_END + 1})${header.read('key')}${CHECK_VERSION}
if call('DEL', key) == 0 then return 0 end
if owner and owner ~= '' then ${UNINDEX} end
if e and e - now > 0 then return 1 end
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
    local whole = call('GET', ${keys.session('tag', 'member')}) or ''${header.parse('whole')}
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
      local key = ${keys.session('tag', 'member')}${header.read('key')}
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

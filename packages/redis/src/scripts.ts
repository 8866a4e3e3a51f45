/**
 * The Lua scripts behind every write, generated from the layout (layout.ts) and the header
 * (envelope.ts), so no offset or separator is written twice. Each is one EVALSHA: one round
 * trip, atomic. `now` is the application clock, which alone decides what is live; the native
 * expiry is relative (`expiresAt - now`), so clock skew changes nothing. An index key is built
 * from its session key's hash tag: the same slot, no CROSSSLOT. The payload is never copied
 * into Lua, small arguments travel packed in one string, numbers go to `redis.call` as
 * strings: the README's "Benchmarks" has the instruction counts behind each choice.
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

/** What every script starts with: a global (`string`, `redis`) costs a lookup at every use. */
export const LOCALS =
  'local sub, byte, find, call = string.sub, string.byte, string.find, redis.call';

/** A Lua script with its SHA1, computed once. */
export type LuaScript = ReturnType<typeof lua>;

function lua(body: string) {
  const source = `${LOCALS}\n${body}`;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** In place of `ifVersion` when the write is unconditional. */
const NO_VERSION = '-'.repeat(VERSION_WIDTH);
const ZERO = formatVersion(0);

/** The `ifVersion` field of {@link packArgument}. */
export const packVersion = (ifVersion: number | undefined) =>
  ifVersion === undefined ? NO_VERSION : formatVersion(ifVersion);

/**
 * The first argument of a script on one session, each part at a fixed place: `now` (floored: `e
 * > now` holds exactly when `e > floor(now)`), `field` (`ifVersion` from {@link packVersion}, or
 * touch's new `expiresAt`), then the native lifetime of a record expiring at `expiresAt`.
 */
export function packArgument(now: number, field: string, expiresAt?: number): string {
  const ttl = expiresAt === undefined ? '' : nativeTtl(expiresAt, now);
  return `${formatExpiresAt(Math.floor(now))}${field}${ttl}`;
}

/**
 * A script on the session at KEYS[1]: {@link packArgument} cut into `now`, `field` (`width`
 * characters) and `ttl`, and the stored header read into `e`, `v` and `owner` (see envelope.ts).
 */
function onSession(field: string, width: number, body: string) {
  const [from, to] = [EXPIRES_AT_WIDTH + 1, EXPIRES_AT_WIDTH + width];
  return lua(`local a, key = ARGV[1], KEYS[1]
local now, ${field}, ttl = sub(a, 1, ${from - 1}), sub(a, ${from}, ${to}), sub(a, ${to + 1})${header.read('key')}
${body}`);
}

// The live version (`v`, ZERO when there is no live record) against `ifVersion`. Versions stay
// strings unless counted: both sides write them with the same fixed width.
const CHECK_VERSION = `if not e or e - now <= 0 then v = '${ZERO}' end
if ifVersion ~= '${NO_VERSION}' and ifVersion ~= v then return -1 end`;

// The index of the record at `key`'s owner (read from its header), and taking the record out.
const OWN_INDEX = keys.userIndex(keys.tagOf('key'), 'owner');
const UNINDEX = `call('ZREM', ${OWN_INDEX}, ${keys.sessionOf('key')})`;

// Index the record at `key` in `idx`; keep the index trimmed, and alive as long as its newest
// member.
const INDEX = (idx: string, expiresAt: string) => `
  call('ZADD', ${idx}, ${expiresAt}, ${keys.sessionOf('key')})
  call('ZREMRANGEBYSCORE', ${idx}, '-inf', now)
  if ttl - call('PTTL', ${idx}) > 0 then call('PEXPIRE', ${idx}, ttl) end`;

/**
 * Compare-and-set write. KEYS: session, [new owner's index]. ARGV: {@link packArgument}, then
 * the whole stored text with the version the write has if the key was not written in between
 * (`ifVersion + 1`, or 1). Returns the new version, or -1 on a version conflict (nothing
 * changed). Only an unconditional write over a live record learns its version here: its
 * digits are then patched in place (SETRANGE), never the data.
 */
export const SET_SCRIPT = onSession(
  'ifVersion',
  VERSION_WIDTH,
  `${CHECK_VERSION}
local value = ARGV[2]
if owner and owner ~= '' and owner ~= ${header.ownerOf('value')} then ${UNINDEX} end
local version = v + 1
call('SET', key, value, 'PX', ttl)
if ifVersion == '${NO_VERSION}' and version ~= 1 then ${header.writeVersion('key', 'version')} end
if KEYS[2] then${INDEX('KEYS[2]', header.expiresAtOf('value'))}
end
return version`,
);

/**
 * Move a live record's expiry (always to after `now`: the kit sends a touch into the past as
 * a delete). KEYS: session. ARGV: {@link packArgument}. Returns 1 if the record was live,
 * else 0 (and nothing changed).
 */
export const TOUCH_SCRIPT = onSession(
  'expiresAt',
  EXPIRES_AT_WIDTH,
  `if not e or e - now <= 0 then return 0 end
${header.writeExpiresAt('key', 'expiresAt')}
call('PEXPIRE', key, ttl)
if owner ~= '' then
  local idx = ${OWN_INDEX}${INDEX('idx', 'expiresAt')}
end
return 1`,
);

/**
 * Remove a record (live or expired) and its index entry, with the compare-and-set of a `set`
 * into the past. KEYS: session. ARGV: {@link packArgument} without a lifetime. Returns 1 if
 * the removed record was live, 0 if it was not, -1 on a version conflict (nothing changed).
 */
export const DELETE_SCRIPT = onSession(
  'ifVersion',
  VERSION_WIDTH,
  `${CHECK_VERSION}
if call('DEL', key) == 0 then return 0 end
if owner and owner ~= '' then ${UNINDEX} end
if e and e - now > 0 then return 1 end
return 0`,
);

// Loop over the user's index `idx` in each bucket (KEYS), with its bucket's tag in `tag`: the
// tags follow the other arguments, from ARGV[after + 1] on.
const EACH_INDEX = (after: number) => `for i, idx in ipairs(KEYS) do
  local tag = ARGV[${after} + i]`;

/**
 * A user's live sessions in the given buckets. KEYS: the user's index in each bucket. ARGV:
 * now, userId, then the tag of each KEYS entry. Trims expired and stale index entries on the
 * way. Returns a flat list: key, stored text, key, stored text, ...
 */
export const LIST_SCRIPT = lua(`local now, out = tonumber(ARGV[1]), {}
${EACH_INDEX(2)}
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
return out`);

/**
 * Delete a user's sessions in the given buckets, except one key. KEYS: the user's index in
 * each bucket. ARGV: now, userId, except|'', then the tag of each KEYS entry. Returns how many
 * live sessions went.
 */
export const DELETE_USER_SCRIPT = lua(`local now, removed = tonumber(ARGV[1]), 0
${EACH_INDEX(3)}
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
return removed`);

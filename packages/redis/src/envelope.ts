/**
 * How one session is stored: one Redis string, `<expiresAt>:<version>:<userId>\n<data>`, e.g.
 * `00001700000000000:0000000000000003:alice\n{"cart":[]}`: `get` is a plain GET, a write one
 * SET. The one place that knows the header, for TypeScript and (through {@link luaHeader}) the
 * scripts. `expiresAt` and `version` have fixed widths, so the scripts find every field at a
 * fixed place and rewrite one in place (SETRANGE) without copying the data. `userId` never holds
 * a newline (control characters are refused), so the first newline ends the header.
 */
import type { StoredRecord } from '@sessions/core/kit';
import { luaString } from './layout.js';

/** Characters of the stored `expiresAt`: a sign and the 16 digits of any safe integer. */
export const EXPIRES_AT_WIDTH = 17;
/** Characters of the stored version: the 16 digits of any safe integer. */
export const VERSION_WIDTH = 16;
const FIELD = ':';
const END = '\n';
const VERSION_AT = EXPIRES_AT_WIDTH + FIELD.length;
const USER_AT = VERSION_AT + VERSION_WIDTH + FIELD.length;
/** A script reads this much header first: enough for a short userId. */
const FIRST_PROBE_BYTES = 64;
/** The widest header: a 256-character userId in UTF-8 (768 bytes at worst). */
const HEADER_PROBE_BYTES = USER_AT + 768 + END.length;

/**
 * How long Redis keeps a record after the application's clock says it expired: native expiry
 * only collects garbage, and must never remove a record the application still counts as live
 * (a slow request, an app clock slightly behind Redis's).
 */
export const NATIVE_GRACE_MS = 500;

/** `expiresAt` (or the application clock's `now`) as stored: fixed width, zero-padded. */
export function formatExpiresAt(expiresAt: number): string {
  return expiresAt < 0
    ? `-${String(-expiresAt).padStart(EXPIRES_AT_WIDTH - 1, '0')}`
    : String(expiresAt).padStart(EXPIRES_AT_WIDTH, '0');
}

/** A version as stored: fixed width, zero-padded. */
export const formatVersion = (version: number) => String(version).padStart(VERSION_WIDTH, '0');

/** The stored text: what `set` sends, and what tests write raw. */
export function formatEnvelope(
  expiresAt: number,
  version: number,
  userId: string | undefined,
  data: string,
): string {
  const header = `${formatExpiresAt(expiresAt)}${FIELD}${formatVersion(version)}${FIELD}`;
  return `${header}${userId ?? ''}${END}${data}`;
}

/** What a text that is not one of ours reads as: the kit reports its fields as `CORRUPT`. */
const MALFORMED: StoredRecord = { data: undefined, expiresAt: undefined, version: undefined };

/**
 * A stored text as the kit takes records (it checks the fields, liveness, and decodes), cut at
 * the places the scripts use: what they would not take as a header, neither does this.
 */
export function parseEnvelope(text: string): StoredRecord {
  const end = text.indexOf(END, USER_AT);
  if (text[EXPIRES_AT_WIDTH] !== FIELD || text[USER_AT - 1] !== FIELD || end < 0) return MALFORMED;
  return {
    expiresAt: Number(text.slice(0, EXPIRES_AT_WIDTH)),
    version: Number(text.slice(VERSION_AT, USER_AT - 1)),
    userId: end === USER_AT ? undefined : text.slice(USER_AT, end),
    data: text.slice(end + END.length),
  };
}

/** The native lifetime of a record: what the application's clock says is left, plus the grace. */
export function nativeTtl(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil(expiresAt - now)) + NATIVE_GRACE_MS;
}

/** A place in the text as Lua's `sub` and `byte` count it (from 1, the last one included). */
const lua = (at: number) => at + 1;
const headerEnd = (text: string) => `find(${text}, ${luaString(END)}, ${lua(USER_AT)}, true)`;
const isField = (text: string, at: number) => `byte(${text}, ${lua(at)}) == ${FIELD.charCodeAt(0)}`;
/** Sets e (a number), v (the version's digits), owner ('' if none); all nil if not a header. */
const parse = (text: string) => `
local e, v, owner = tonumber(sub(${text}, 1, ${EXPIRES_AT_WIDTH}))
if e then
  local nl = ${isField(text, EXPIRES_AT_WIDTH)} and ${isField(text, USER_AT - 1)} and ${headerEnd(text)}
  if nl then
    v, owner = sub(${text}, ${lua(VERSION_AT)}, ${lua(USER_AT - 2)}), sub(${text}, ${lua(USER_AT)}, nl - 1)
  else
    e = nil
  end
end`;

/** The header as Lua, for the scripts; the caller names the variables. */
export const luaHeader = {
  /** Parse the stored text in `text` into `e`, `v` and `owner`. */
  parse,
  /** Read the header of the record at `key` (GETRANGE: the payload is never copied), then parse. */
  read: (key: string) => `
local head = call('GETRANGE', ${key}, '0', '${FIRST_PROBE_BYTES - 1}')
if #head == ${FIRST_PROBE_BYTES} and not ${headerEnd('head')} then
  head = call('GETRANGE', ${key}, '0', '${HEADER_PROBE_BYTES - 1}')
end${parse('head')}`,
  /** The userId of the stored text in `text` ('' when none). */
  ownerOf: (text: string) => `sub(${text}, ${lua(USER_AT)}, ${headerEnd(text)} - 1)`,
  /** The `expiresAt` of the stored text in `text`, as stored. */
  expiresAtOf: (text: string) => `sub(${text}, 1, ${EXPIRES_AT_WIDTH})`,
  /** Write `version` (a number) into the record at `key`, in place. */
  writeVersion: (key: string, version: string) =>
    `call('SETRANGE', ${key}, '${VERSION_AT}', string.format('%0${VERSION_WIDTH}d', ${version}))`,
  /** Write `expiresAt` (fixed-width text) into the record at `key`, in place. */
  writeExpiresAt: (key: string, expiresAt: string) => `call('SETRANGE', ${key}, '0', ${expiresAt})`,
};

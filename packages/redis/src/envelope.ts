/**
 * How one session is stored: a single Redis string, so `get` is a plain GET and a write is one
 * SET with its expiry.
 *
 * ```text
 * <expiresAt>:<version>:<userId>\n<encoded data>
 * 00001700000000000:0000000000000003:alice\n{"cart":[]}
 * ```
 *
 * `expiresAt` and `version` are written with fixed widths ({@link EXPIRES_AT_WIDTH} and
 * {@link VERSION_WIDTH} characters, zero-padded, a leading `-` for a negative `expiresAt`), so
 * the scripts find every field at a fixed place, and overwrite one in place (SETRANGE) without
 * copying the data: `touch` the expiry, `set` the version. `userId` is empty when the session has
 * none (a real userId is never empty) and never holds a newline (control characters are
 * refused), so the first newline ends the header. The scripts only read the header's first
 * {@link HEADER_PROBE_BYTES} bytes.
 */
import {
  CorruptError,
  decodeData,
  type ResolvedStoreOptions,
  type SessionRecord,
} from '@sessions/core';

/** Characters of the stored `expiresAt`: a sign and the 16 digits of any safe integer. */
export const EXPIRES_AT_WIDTH = 17;
/** Characters of the stored version: the 16 digits of any safe integer. */
export const VERSION_WIDTH = 16;
/** Where the userId starts in a stored text (0-based), right after the fixed-width fields. */
export const USER_AT = EXPIRES_AT_WIDTH + 1 + VERSION_WIDTH + 1;
/**
 * Bytes a script reads to parse a header (GETRANGE 0..N-1), so a large payload is never copied
 * into Lua: the widest header, with a 256-character userId in UTF-8 (768 bytes at worst).
 */
export const HEADER_PROBE_BYTES = USER_AT + 768 + 1;
const COLON = 0x3a;

/** `expiresAt` as stored: fixed width, zero-padded. */
export function formatExpiresAt(expiresAt: number): string {
  return expiresAt < 0
    ? `-${String(-expiresAt).padStart(EXPIRES_AT_WIDTH - 1, '0')}`
    : String(expiresAt).padStart(EXPIRES_AT_WIDTH, '0');
}

/** A version as stored: fixed width, zero-padded. */
export function formatVersion(version: number): string {
  return String(version).padStart(VERSION_WIDTH, '0');
}

/** A stored session, split but not decoded. */
export interface Envelope {
  expiresAt: number;
  version: number;
  /** Undefined when the session has no owner. */
  userId: string | undefined;
  /** The codec's text, still encoded. */
  data: string;
}

/** Build the stored text: what `set` sends (see scripts.ts), and what tests write raw. */
export function formatEnvelope(envelope: Envelope): string {
  const { expiresAt, version, userId, data } = envelope;
  return `${formatExpiresAt(expiresAt)}:${formatVersion(version)}:${userId ?? ''}\n${data}`;
}

/** Split a stored text into its parts. Throws `CorruptError` if the header is malformed. */
export function parseEnvelope(text: string, key: string, source: string): Envelope {
  // The same fixed places the scripts read: what they would not take as a header, neither
  // does this.
  const newline = text.indexOf('\n', USER_AT);
  const expiresAt = Number(text.slice(0, EXPIRES_AT_WIDTH));
  const version = Number(text.slice(EXPIRES_AT_WIDTH + 1, USER_AT - 1));
  if (
    text.charCodeAt(EXPIRES_AT_WIDTH) !== COLON ||
    text.charCodeAt(USER_AT - 1) !== COLON ||
    newline < 0 ||
    !Number.isSafeInteger(expiresAt) ||
    !Number.isSafeInteger(version) ||
    version < 1
  ) {
    throw new CorruptError(source, `the stored session under key "${key}" has a malformed header`);
  }
  const userId = newline === USER_AT ? undefined : text.slice(USER_AT, newline);
  return { expiresAt, version, userId, data: text.slice(newline + 1) };
}

/** The record a stored text holds, or undefined if it is expired by the store's clock. */
export function recordOf<D>(
  opts: ResolvedStoreOptions<D>,
  key: string,
  text: string,
): SessionRecord<D> | undefined {
  const { expiresAt, version, userId, data } = parseEnvelope(text, key, opts.source);
  if (expiresAt <= opts.clock()) return undefined;
  const record: SessionRecord<D> = { data: decodeData(opts, data, key), expiresAt, version };
  if (userId !== undefined) record.userId = userId;
  return record;
}

/** The native lifetime of a record: what the application's clock says is left of it, in ms. */
export function nativeTtl(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil(expiresAt - now));
}

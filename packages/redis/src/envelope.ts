/**
 * How one session is stored: a single Redis string, so `get` is a plain GET and a write is one
 * SET with its expiry.
 *
 * ```text
 * <expiresAt>:<version>:<userId>\n<encoded data>
 * 00001700000000000:3:alice\n{"cart":[]}
 * ```
 *
 * `expiresAt` is written with a fixed width of {@link EXPIRES_AT_WIDTH} characters (zero-padded,
 * a leading `-` for the negative ones), so `touch` can overwrite it in place (SETRANGE) without
 * copying the data. `userId` is empty when the session has none (a real userId is never empty)
 * and never holds a newline (control characters are refused), so the first newline ends the
 * header. The scripts only read the header's first {@link HEADER_PROBE_BYTES} bytes.
 */
import {
  CorruptError,
  decodeData,
  type ResolvedStoreOptions,
  type SessionRecord,
} from '@sessions/core';

/** Characters of the stored `expiresAt`: a sign and the 16 digits of any safe integer. */
export const EXPIRES_AT_WIDTH = 17;
/**
 * Bytes a script reads to parse a header (GETRANGE 0..N-1), so a large payload is never copied
 * into Lua: the widest header is 17 + 1 + 16 + 1 + 768 (a 256-character userId in UTF-8, at
 * worst) + 1 bytes.
 */
export const HEADER_PROBE_BYTES = 1088;

/** `expiresAt` as stored: fixed width, zero-padded. */
export function formatExpiresAt(expiresAt: number): string {
  return expiresAt < 0
    ? `-${String(-expiresAt).padStart(EXPIRES_AT_WIDTH - 1, '0')}`
    : String(expiresAt).padStart(EXPIRES_AT_WIDTH, '0');
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

/** Build the stored text (the scripts do the same in Lua; tests write raw entries with it). */
export function formatEnvelope(envelope: Envelope): string {
  const { expiresAt, version, userId, data } = envelope;
  return `${formatExpiresAt(expiresAt)}:${version}:${userId ?? ''}\n${data}`;
}

/** Split a stored text into its parts. Throws `CorruptError` if the header is malformed. */
export function parseEnvelope(text: string, key: string, source: string): Envelope {
  const newline = text.indexOf('\n');
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  const expiresAt = Number(text.slice(0, first));
  const version = Number(text.slice(first + 1, second));
  if (
    newline < 0 ||
    first <= 0 ||
    second < 0 ||
    second > newline ||
    !Number.isSafeInteger(expiresAt) ||
    !Number.isSafeInteger(version) ||
    version < 1
  ) {
    throw new CorruptError(source, `the stored session under key "${key}" has a malformed header`);
  }
  const userId = second + 1 === newline ? undefined : text.slice(second + 1, newline);
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

/** The doctor's own errors: a malformed target, before any check runs. */

/** The package name every doctor error carries. */
export const SOURCE = '@sessions/doctor';

/** The stable codes of {@link DoctorError}. */
export type DoctorErrorCode = 'BAD_OPTIONS' | 'MISSING_DRIVER';

/**
 * Thrown for options the doctor cannot act on (a URL it does not understand, nothing to
 * check) and for a driver that is not installed. A check that finds a problem never throws:
 * it reports a `fail`.
 *
 * @example
 * ```ts
 * try { await runDoctor({ store: 'ftp://x' }); }
 * catch (err) { if (err instanceof DoctorError && err.code === 'BAD_OPTIONS') usage(); }
 * ```
 */
export class DoctorError extends Error {
  /** The stable machine-readable code. */
  readonly code: DoctorErrorCode;
  /** Always `@sessions/doctor`. */
  readonly source = SOURCE;

  constructor(code: DoctorErrorCode, message: string, options?: ErrorOptions) {
    super(`[${SOURCE}] ${message}`, options);
    this.code = code;
    this.name = 'DoctorError';
  }
}

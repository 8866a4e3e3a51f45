/**
 * Lazy imports of the drivers and stores: the doctor needs only the driver of the store it
 * checks, so each is imported when a URL asks for it, and a missing one is a clear error.
 */
import { DoctorError } from './errors.js';

/** Import `name`, or throw a `MISSING_DRIVER` error that says what to install. */
export async function load<T>(name: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw cause;
    throw new DoctorError('MISSING_DRIVER', `${name} is not installed: npm install ${name}`, {
      cause,
    });
  }
}

/**
 * Chromium for browser tests (the demo's end-to-end test drives it with playwright-core). It is
 * a backend like the servers: missing, it is listed at the end of `pnpm test` with its install
 * command and its tests are skipped; with SESSIONS_REQUIRE_ALL_BACKENDS=1 the run fails.
 */
import { reportMissingBackend } from './backends.js';
import { which } from './which.js';

/** The command that installs Chromium on Debian. */
export const CHROMIUM_INSTALL = 'apt-get install -y chromium';

/** The names a Chromium or Chrome is installed under on Linux, most likely first. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

/**
 * The part of vitest's `TestProject` that {@link setupChromium} uses, typed structurally as in
 * the other launchers; the consuming package declares `chromiumPath: string | undefined` in
 * vitest's `ProvidedContext`.
 */
export interface ChromiumProvider {
  provide(key: 'chromiumPath', value: string | undefined): void;
}

/**
 * The Chromium executable: `SESSIONS_CHROMIUM_BIN` when set (Chrome outside PATH, on macOS say),
 * else the first of `chromium`, `chromium-browser`, `google-chrome-stable`, `google-chrome` on
 * PATH; undefined when none is executable.
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.SESSIONS_CHROMIUM_BIN;
  if (fromEnv) return which(fromEnv);
  for (const name of CHROMIUM_NAMES) {
    const found = which(name);
    if (found) return found;
  }
  return undefined;
}

/**
 * Vitest globalSetup helper: provides `chromiumPath`, or reports Chromium missing and provides
 * `undefined` (throws instead when SESSIONS_REQUIRE_ALL_BACKENDS=1). Call it before starting
 * servers, so a required Chromium fails the run before anything needs stopping.
 *
 * @example
 * ```ts
 * // test/global-setup.ts
 * import { setupChromium } from '@sessions/test-services/chromium';
 * export default (project: TestProject) => setupChromium(project);
 * // test/e2e.test.ts
 * const chromiumPath = inject('chromiumPath');
 * describe.skipIf(!chromiumPath)('in a browser', () => { ... });
 * ```
 */
export async function setupChromium(project: ChromiumProvider): Promise<() => Promise<void>> {
  const found = findChromium();
  if (!found) {
    const reason = process.env.SESSIONS_CHROMIUM_BIN
      ? `SESSIONS_CHROMIUM_BIN (${process.env.SESSIONS_CHROMIUM_BIN}) is not an executable file`
      : `none of ${CHROMIUM_NAMES.join(', ')} is on PATH`;
    reportMissingBackend('chromium', reason, CHROMIUM_INSTALL);
  }
  project.provide('chromiumPath', found);
  return async () => {};
}

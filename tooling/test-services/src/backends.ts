/**
 * Which backends a test run could not reach, and what installs each. Global setups record a
 * missing server binary here; `pnpm test` prints the list at the end.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root (the folder holding pnpm-workspace.yaml). */
export function workspaceRoot(from = process.cwd()): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * Where reports go: `SESSIONS_MISSING_BACKENDS_DIR` when set (the launcher's own tests use a
 * scratch folder, so they never touch the report of the run they are part of), else a folder
 * in the workspace's node_modules/.cache that `pnpm test` reads at the end.
 */
function reportDir(): string {
  return (
    process.env.SESSIONS_MISSING_BACKENDS_DIR ??
    join(workspaceRoot(), 'node_modules', '.cache', 'sessions-missing-backends')
  );
}

/** Whether a missing server must fail the run (CI sets SESSIONS_REQUIRE_ALL_BACKENDS=1). */
export function allBackendsRequired(): boolean {
  return process.env.SESSIONS_REQUIRE_ALL_BACKENDS === '1';
}

/**
 * Record that `backend` could not be tested and which command installs it. When every
 * backend is required, throw instead.
 */
export function reportMissingBackend(
  backend: string,
  reason: string,
  installCommand: string,
): void {
  if (allBackendsRequired()) {
    throw new Error(
      `${backend} is required (SESSIONS_REQUIRE_ALL_BACKENDS=1) but ${reason}. Install it with: ${installCommand}`,
    );
  }
  mkdirSync(reportDir(), { recursive: true });
  // One line each: the list printed at the end of `pnpm test` reads them back by line.
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  writeFileSync(
    join(reportDir(), `${backend}.txt`),
    `${oneLine(reason)}\n${oneLine(installCommand)}\n`,
  );
}

/** Forget earlier reports (run-tests calls it before a run). */
export function resetMissingBackends(): void {
  rmSync(reportDir(), { recursive: true, force: true });
}

/** The backends reported missing in this run, with their install commands. */
export function missingBackends(): Array<{ backend: string; reason: string; install: string }> {
  if (!existsSync(reportDir())) return [];
  return readdirSync(reportDir()).map((file) => {
    const [reason = '', install = ''] = readFileSync(join(reportDir(), file), 'utf8').split('\n');
    return { backend: file.replace(/\.txt$/, ''), reason, install };
  });
}

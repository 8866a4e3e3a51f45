// Chromium follows the rule of every backend: found, it is provided; missing, a listed skip;
// missing while every backend is required, a failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { missingBackends } from '../src/backends.js';
import { CHROMIUM_INSTALL, setupChromium } from '../src/chromium.js';

const VARS = ['PATH', 'SESSIONS_CHROMIUM_BIN', 'SESSIONS_REQUIRE_ALL_BACKENDS'];
const saved: Record<string, string | undefined> = {};
let reports = '';
beforeEach(() => {
  for (const name of VARS) saved[name] = process.env[name];
  delete process.env.SESSIONS_CHROMIUM_BIN;
  delete process.env.SESSIONS_REQUIRE_ALL_BACKENDS;
  // A PATH with no browser on it: an empty folder.
  reports = mkdtempSync(join(tmpdir(), 'sessions-reports-'));
  process.env.PATH = reports;
  process.env.SESSIONS_MISSING_BACKENDS_DIR = join(reports, 'missing');
});
afterEach(() => {
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  delete process.env.SESSIONS_MISSING_BACKENDS_DIR;
  rmSync(reports, { recursive: true, force: true });
});

/** What a global setup's `project.provide` was given. */
function provider() {
  const provided: { chromiumPath?: string | undefined } = {};
  return { provided, provide: (key: 'chromiumPath', value?: string) => (provided[key] = value) };
}

test('a missing Chromium is listed with its install command and provided as undefined', async () => {
  const project = provider();
  await setupChromium(project);
  expect(project.provided).toEqual({ chromiumPath: undefined });
  expect(missingBackends()).toEqual([
    {
      backend: 'chromium',
      reason: 'none of chromium, chromium-browser, google-chrome-stable, google-chrome is on PATH',
      install: CHROMIUM_INSTALL,
    },
  ]);
});

test('a missing Chromium fails the setup when every backend is required', async () => {
  process.env.SESSIONS_REQUIRE_ALL_BACKENDS = '1';
  await expect(setupChromium(provider())).rejects.toThrow(
    /chromium is required \(SESSIONS_REQUIRE_ALL_BACKENDS=1\)[\s\S]*apt-get install -y chromium/,
  );
});

test('SESSIONS_CHROMIUM_BIN names the browser when it is not on PATH', async () => {
  // Any executable file stands in for the path check; nothing here launches it.
  process.env.SESSIONS_CHROMIUM_BIN = process.execPath;
  const project = provider();
  await setupChromium(project);
  expect(project.provided).toEqual({ chromiumPath: process.execPath });
  expect(missingBackends()).toEqual([]);
});

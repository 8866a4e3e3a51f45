// The published entry points as a consumer loads them: the built files, from CommonJS and ESM.
// The main entry must load without vitest (CommonJS users and runChecks users have none).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function node(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

test('require("@sessions/conformance") works from CommonJS and does not load vitest', () => {
  const out = node([
    '-e',
    `const c = require('@sessions/conformance');
     const loaded = Object.keys(require.cache).some((f) => /[\\\\/]vitest[\\\\/]/.test(f));
     console.log(JSON.stringify({ checks: c.checks.length, run: typeof c.runChecks, clock: typeof c.FakeClock, raw: typeof c.memoryRaw, loaded }));`,
  ]);
  expect(JSON.parse(out)).toEqual({
    checks: expect.any(Number),
    run: 'function',
    clock: 'function',
    raw: 'function',
    loaded: false,
  });
  expect(JSON.parse(out).checks).toBeGreaterThanOrEqual(60);
});

test('import("@sessions/conformance") works from ESM', () => {
  const out = node([
    '--input-type=module',
    '-e',
    `const c = await import('@sessions/conformance'); console.log(c.checks.length, typeof c.describeStore);`,
  ]);
  const [count, describeStore] = out.trim().split(' ');
  expect(Number(count)).toBeGreaterThanOrEqual(60);
  expect(describeStore).toBe('undefined');
});

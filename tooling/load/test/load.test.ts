// The load checks can fail: a short run of the demo passes every check, and the Express app
// broken in one way (blocking the event loop, leaking memory, losing sessions) fails that
// check (a leak's growing heap may slow the loop too).
import { describe, expect, test } from 'vitest';
import { type AppUnderLoad, appNamed } from '../src/apps/index.js';
import { loadChecks } from '../src/criteria.js';
import { recipeProtocol } from '../src/protocols.js';
import { type LoadRun, runLoad } from '../src/run-load.js';

const TIMEOUT_MS = 40_000;

function broken(name: string): AppUnderLoad {
  return {
    name,
    module: new URL(`./fixtures/${name}-app.ts`, import.meta.url).href,
    protocol: recipeProtocol,
  };
}

async function shortRun(app: AppUnderLoad): Promise<{ run: LoadRun; failed: string[] }> {
  const run = await runLoad({ app, store: 'sqlite', clients: 50, durationMs: 5000, thinkMs: 300 });
  const failed = loadChecks(run)
    .filter((check) => !check.passed)
    .map((check) => check.name);
  return { run, failed };
}

describe('load checks', () => {
  test('the demo on SQLite passes every check', { timeout: TIMEOUT_MS }, async () => {
    const { run, failed } = await shortRun(appNamed('demo'));
    expect(failed).toEqual([]);
    // Every kind of request was answered, by the shared group too (5 of the 50 clients).
    expect(run.tally.requests).toBeGreaterThan(300);
    expect(run.sharedClients).toBe(5);
    expect(run.tally.statuses['200']).toBeGreaterThan(0);
    expect(run.tally.statuses['303']).toBeGreaterThan(0);
    expect(run.memory.length).toBeGreaterThan(10);
  });

  test('an app that blocks its event loop fails event-loop', { timeout: TIMEOUT_MS }, async () => {
    const { run, failed } = await shortRun(broken('blocking'));
    expect(failed).toEqual(['event-loop']);
    expect(run.delay.steady.max).toBeGreaterThanOrEqual(70);
  });

  test('an app that leaks memory fails memory', { timeout: TIMEOUT_MS }, async () => {
    const { failed } = await shortRun(broken('leaky'));
    expect(failed).toContain('memory');
    // Its growing heap may also slow the loop (longer GCs), but it serves every request right.
    expect(failed).not.toContain('errors');
  });

  test('an app that loses sessions fails errors', { timeout: TIMEOUT_MS }, async () => {
    const { run, failed } = await shortRun(broken('forgetful'));
    expect(failed).toEqual(['errors']);
    expect(run.tally.errors['lost-session']).toBeGreaterThan(0);
  });
});

// The soak's checks can fail: a 16 s soak of MemoryStore behind a wrapper that breaks one
// thing sees exactly that check fail, and the same soak of the plain MemoryStore passes.
import { describe, expect, test } from 'vitest';
import { memoryBackend } from '../src/backends/memory.js';
import { soakChecks } from '../src/criteria.js';
import { runSoak } from '../src/run-soak.js';

const DURATION_MS = 16_000;
const TIMEOUT_MS = 90_000;
const FIXTURES = new URL('./fixtures/broken-stores.ts', import.meta.url).href;

async function failedChecks(wrapper?: string): Promise<string[]> {
  const run = await runSoak({
    backend: memoryBackend,
    durationMs: DURATION_MS,
    wrap: wrapper ? { module: FIXTURES, export: wrapper } : undefined,
  });
  return soakChecks(run)
    .filter((check) => !check.passed)
    .map((check) => check.name);
}

describe('soak checks', () => {
  test('MemoryStore passes every check', { timeout: TIMEOUT_MS }, async () => {
    expect(await failedChecks()).toEqual([]);
  });

  test.each([
    ['leaky', ['memory']],
    ['lossy', ['lost-writes', 'errors']],
    ['hoarding', ['storage']],
    ['drifting', ['latency']],
    ['timerLeaking', ['handles']],
  ])('a %s store fails %j', { timeout: TIMEOUT_MS }, async (wrapper, expected) => {
    expect(await failedChecks(wrapper)).toEqual(expected);
  });
});

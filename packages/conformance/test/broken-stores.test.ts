// Every deliberately broken store must fail at least one of the checks meant to catch it; the
// healthy memory store, run the same way, must fail none. Together: the suite can fail.

import { memoryRaw, runChecks } from '@sessions/conformance';
import { MemoryBackend, MemoryStore } from '@sessions/core';
import { describe, expect, test } from 'vitest';
import { type BrokenStore, brokenFactory } from './broken/base.js';
import { casBroken } from './broken/cas.js';
import { contractEdgesBroken } from './broken/contract-edges.js';
import { corruptBroken } from './broken/corrupt.js';
import { inputBroken } from './broken/input.js';
import { lifecycleBroken } from './broken/lifecycle.js';
import { namespaceBroken } from './broken/namespaces.js';
import { payloadBroken } from './broken/payloads.js';
import { ttlBroken } from './broken/ttl.js';
import { userIndexBroken } from './broken/user-index.js';

const BROKEN: BrokenStore[] = [
  ...ttlBroken,
  ...casBroken,
  ...userIndexBroken,
  ...namespaceBroken,
  ...inputBroken,
  ...payloadBroken,
  ...corruptBroken,
  ...lifecycleBroken,
  ...contractEdgesBroken,
];

describe('the suite catches broken stores', () => {
  test('control: the healthy memory store fails no check through runChecks', async () => {
    const backend = new MemoryBackend();
    const results = await runChecks({
      name: 'memory',
      capabilities: { nativeExpiry: 'none' },
      create: ({ namespace, clock, codec }) =>
        new MemoryStore({ backend, namespace, clock, codec, pruneInterval: 0 }),
      raw: (_store, { namespace }) => memoryRaw(backend, namespace),
    });
    expect(results.length).toBeGreaterThanOrEqual(60);
    expect(results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
  });

  test.each(BROKEN.map((broken) => [broken.name, broken] as const))('%s', async (_name, broken) => {
    const results = await runChecks(brokenFactory(broken));
    const failed = results.filter((r) => !r.ok).map((r) => r.id);
    const caught = failed.filter((id) => broken.caughtBy.some((prefix) => id.startsWith(prefix)));
    expect(caught, `failed checks: ${failed.join(', ') || 'none'}`).not.toEqual([]);
    // The wrapper itself works: it is caught for what it breaks, not for being unusable.
    expect(failed).not.toContain('basic-crud/get-missing');
  });
});

// The whole conformance suite on the memory store, built from source: the tests that must
// kill every mutant of the kit and of MemoryStore (see ../README.md).
import { memoryRaw } from '@sessions/conformance';
import { describeStore } from '@sessions/conformance/vitest';
import { MemoryBackend, MemoryStore } from '@sessions/core';

const backend = new MemoryBackend();

describeStore({
  name: 'memory',
  capabilities: { nativeExpiry: 'none' },
  create: ({ namespace, clock, codec }) =>
    new MemoryStore({ backend, namespace, clock, codec, pruneInterval: 0 }),
  raw: (_store, { namespace }) => memoryRaw(backend, namespace),
});

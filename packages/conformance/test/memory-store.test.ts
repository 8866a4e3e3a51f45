// The in-memory reference store passes the whole suite: the ~20 lines every backend writes.

import { memoryRaw } from '@sessions/conformance';
import { describeStore } from '@sessions/conformance/vitest';
import { MemoryBackend, MemoryStore } from '@sessions/core';

// One backend for every store the suite builds, as one server would be: the suite gives each
// check its own namespace, and builds two stores on one backend to prove isolation.
const backend = new MemoryBackend();

describeStore({
  name: 'memory',
  capabilities: { nativeExpiry: 'none' },
  create: ({ namespace, clock, codec }) =>
    // pruneInterval 0: the checks prune explicitly, so no timer runs behind their back.
    new MemoryStore({ backend, namespace, clock, codec, pruneInterval: 0 }),
  raw: (_store, { namespace }) => memoryRaw(backend, namespace),
});

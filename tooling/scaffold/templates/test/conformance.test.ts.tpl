import { describeStore } from '@sessions/conformance/vitest';
import { NotImplementedError } from '@sessions/core';
import { {{Name}}Store } from '../src/index.js';

// Until raw access is written, every check that inspects the backend fails with this error.
const notYet = (method: string) => new NotImplementedError('@sessions/{{name}} raw access', method);

describeStore({
  name: '{{name}}',
  // 'prompt' | 'lagging' | 'none': how {{name}} removes expired records (see StoreCapabilities).
  capabilities: { nativeExpiry: 'none' },
  // pruneInterval 0: the checks prune explicitly, so no timer runs behind their back.
  create: ({ namespace, clock, codec }) =>
    new {{Name}}Store({ namespace, clock, codec, pruneInterval: 0 }),
  // Reads and writes {{name}} directly, bypassing the store, for the store the suite built with
  // this `namespace`, so the suite can prove what was really stored.
  raw: (_store, _context) => ({
    read: async () => {
      throw notYet('read');
    },
    writePayload: async () => {
      throw notYet('writePayload');
    },
    dump: async () => {
      throw notYet('dump');
    },
  }),
});

// The compatibility suite on every built-in store, each on its real test server.
import { testStoreKinds } from '@sessions/test-stores';
import { describe } from 'vitest';
import { compatibilitySuite } from './compat/index.js';

for (const kind of testStoreKinds()) {
  describe.skipIf(!kind.available)(`express-session compatibility over ${kind.name}`, () => {
    compatibilitySuite(() => kind.create());
  });
}

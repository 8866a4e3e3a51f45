// The adapter's scenarios on every built-in store, each on its real test server.
import { testStoreKinds } from '@sessions/test-stores';
import { describe } from 'vitest';
import { dropInScenarios } from './drop-in.js';
import { missReasonScenarios } from './miss-reasons.js';
import { saveBeforeResponseScenarios } from './save-before-response.js';
import { expressScenarios } from './scenarios.js';

for (const kind of testStoreKinds()) {
  describe.skipIf(!kind.available)(`express-session over ${kind.name}`, () => {
    expressScenarios((options) => kind.create(options));
    dropInScenarios(() => kind.create());
    saveBeforeResponseScenarios(() => kind.create());
    missReasonScenarios(() => kind.create());
  });
}

// The middleware's scenarios on every built-in store, each on its real test server.
import { testStoreKinds } from '@sessions/test-stores';
import { describe } from 'vitest';
import { loginRaceScenarios } from './login-race-scenarios.js';
import { missScenarios } from './miss-scenarios.js';
import { honoScenarios } from './scenarios.js';

for (const kind of testStoreKinds()) {
  describe.skipIf(!kind.available)(`hono middleware over ${kind.name}`, () => {
    honoScenarios((options) => kind.create(options));
    missScenarios((options) => kind.create(options));
    loginRaceScenarios((options) => kind.create(options));
  });
}

// The adapter's compatibility suite on every built-in store, each on its real test server.
import { testStoreKinds } from '@sessions/test-stores';
import { describe } from 'vitest';
import { dropInScenarios } from './drop-in.js';
import { missReasonScenarios } from './miss-reasons.js';
import { fastifyScenarios } from './scenarios.js';
import { sessionApiScenarios } from './session-api.js';
import { storeApiScenarios } from './store-api.js';
import { storeFailureScenarios } from './store-failures.js';
import { tamperedScenarios } from './tampered.js';

for (const kind of testStoreKinds()) {
  describe.skipIf(!kind.available)(`@fastify/session over ${kind.name}`, () => {
    describe('the Store API', () => storeApiScenarios(() => kind.create()));
    describe('req.session and the plugin options', () => sessionApiScenarios(() => kind.create()));
    describe('store errors at every call site', () => storeFailureScenarios(() => kind.create()));
    describe('tampered records', () => tamperedScenarios(() => kind.create()));
    describe('drop-in (issue 17)', () => dropInScenarios(() => kind.create()));
    describe('apps', () => fastifyScenarios((options) => kind.create(options)));
    describe('miss reasons and log out everywhere', () => missReasonScenarios(() => kind.create()));
  });
}

// The README's recipe, run on every store: what users copy must work.
import { testStoreKinds } from '@sessions/test-stores';
import { describe } from 'vitest';
import { recipeScenarios } from './recipe-scenarios.js';

for (const kind of testStoreKinds()) {
  describe.skipIf(!kind.available)(`the recipe over ${kind.name}`, () => {
    recipeScenarios(() => kind.create());
  });
}

import { MemoryStore } from '@sessions/core';
import { describe } from 'vitest';
import { honoScenarios } from './scenarios.js';

describe('@sessions/hono over MemoryStore', () => {
  honoScenarios(async (options) => new MemoryStore({ codec: options?.codec }));
});

import { MemoryStore } from '@sessions/core';
import { describe } from 'vitest';
import { expressScenarios } from './scenarios.js';

describe('express-session over MemoryStore', () => {
  expressScenarios(async (options) => new MemoryStore({ codec: options?.codec }));
});

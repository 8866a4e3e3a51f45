import { MemoryStore } from '@sessions/core';
import { describe } from 'vitest';
import { fastifyScenarios } from './scenarios.js';

describe('@fastify/session over MemoryStore', () => {
  fastifyScenarios(async (options) => new MemoryStore({ codec: options?.codec }));
});

// Starts FerretDB (or uses MONGODB_URL) once for the whole test run.
import { setupMongo } from '@sessions/test-services/ferretdb';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MongoDB-wire server the tests use; undefined when none could run here. */
    mongoUrl: string | undefined;
  }
}

export default (project: TestProject) => setupMongo(project);

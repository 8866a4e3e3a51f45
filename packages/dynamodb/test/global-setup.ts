// Starts DynamoDB Local (or uses DYNAMODB_ENDPOINT) once for the whole test run.
import { setupDynamo } from '@sessions/test-services/dynamodb';
// Loads vitest's types in this file, so the augmentation below has a module to augment.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB endpoint the tests use; undefined when no emulator could run here. */
    dynamodbEndpoint: string | undefined;
  }
}

export default (project: TestProject) => setupDynamo(project);

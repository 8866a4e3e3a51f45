/** Every backend the soak can run, by name. */
import { dynamodbBackend } from './dynamodb.js';
import { memoryBackend } from './memory.js';
import { mongodbBackend } from './mongodb.js';
import { postgresBackend } from './postgres.js';
import { redisBackend } from './redis.js';
import { sqliteBackend } from './sqlite.js';
import type { SoakBackend } from './types.js';

export type { Deployment, RawProbe, SoakBackend } from './types.js';

/** The backends, in the order a full run takes them. */
export const BACKENDS: readonly SoakBackend[] = [
  memoryBackend,
  sqliteBackend,
  redisBackend,
  postgresBackend,
  mongodbBackend,
  dynamodbBackend,
];

/** The backend called `name`; throws with the list of names when there is none. */
export function backendNamed(name: string): SoakBackend {
  const found = BACKENDS.find((backend) => backend.name === name);
  if (!found) {
    throw new Error(
      `[@sessions/soak] no store "${name}" (one of: ${BACKENDS.map((b) => b.name).join(', ')})`,
    );
  }
  return found;
}

/** The apps `--app` names: the module the server process starts, the protocol clients speak. */
import { demoProtocol, type Protocol, recipeProtocol } from '../protocols.js';

/** An app under load. */
export interface AppUnderLoad {
  name: string;
  /** File URL of a module shaped as `AppModule`. */
  module: string;
  protocol: Protocol;
}

const here = (file: string) => new URL(file, import.meta.url).href;

/** The demo (Hono), and the Express and Fastify apps of their adapters' READMEs. */
export const APPS: readonly AppUnderLoad[] = [
  { name: 'demo', module: here('./demo.ts'), protocol: demoProtocol },
  { name: 'express', module: here('./express.ts'), protocol: recipeProtocol },
  { name: 'fastify', module: here('./fastify.ts'), protocol: recipeProtocol },
];

/** The app called `name`; throws with the list otherwise. */
export function appNamed(name: string): AppUnderLoad {
  const app = APPS.find((a) => a.name === name);
  if (!app) {
    throw new Error(`[@sessions/load] no app "${name}" (${APPS.map((a) => a.name).join(', ')})`);
  }
  return app;
}

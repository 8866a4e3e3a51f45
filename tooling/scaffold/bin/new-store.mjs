#!/usr/bin/env node
// `pnpm new-store <name>`: the generator is TypeScript; tsx runs it without a build step.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { newStore } = await import('../src/cli.ts');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
process.exitCode = newStore(process.argv.slice(2), {
  root,
  log: (line) => console.log(line),
  error: (line) => console.error(line),
});

#!/usr/bin/env node
// `pnpm mutation`: StrykerJS on the store kit and the memory store (tooling/mutation/README.md).
// Prints the score and every surviving mutant; exits non-zero under 90 %. `--mutate <glob>`
// narrows the run (e.g. to one file while killing its survivors).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import config from '../stryker.config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
process.chdir(root);

const at = process.argv.indexOf('--mutate');
const options = at > 0 ? { ...config, mutate: [process.argv[at + 1]] } : config;

const results = await new Stryker(options).runMutationTest();
const survivors = results.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
for (const m of survivors) {
  const where = `${m.fileName.replace(`${root}/`, '')}:${m.location.start.line}`;
  console.log(`${m.status === 'Survived' ? 'survived' : 'no coverage'}  ${where}  ${m.mutatorName}  ${JSON.stringify(m.replacement)}`);
}

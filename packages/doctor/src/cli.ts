#!/usr/bin/env node
// `sessions-doctor`: the CLI of runDoctor (the logic is in cli-main.ts). Exit code 0 when
// nothing failed, 1 when a check failed, 2 for a usage error.
import { runCli } from './cli-main.js';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

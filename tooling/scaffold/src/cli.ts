/**
 * `pnpm new-store <name>`: validate the name, generate the package, print what to do next.
 */
import { biomeFormatter, type Formatter } from './format.js';
import { planStore } from './generate.js';
import { pascalCase, validateStoreName } from './names.js';
import { loadTemplates } from './templates.js';
import { existingPackages, ScaffoldError, writeStore } from './write.js';

/** Where the command writes and prints. */
export interface NewStoreIo {
  /** The workspace root (the folder holding pnpm-workspace.yaml). */
  root: string;
  log(line: string): void;
  error(line: string): void;
  /** How the written files are formatted (default: the workspace's Biome). */
  format?: Formatter;
}

const USAGE = 'usage: pnpm new-store <name>   (e.g. pnpm new-store postgres)';

/**
 * Run the command; resolves to the process exit code (0 on success, 1 when nothing was
 * written because the name is invalid or the package exists).
 *
 * @example
 * ```ts
 * process.exitCode = newStore(['postgres'], { root, log: console.log, error: console.error });
 * ```
 */
export function newStore(args: readonly string[], io: NewStoreIo): number {
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    io.error(USAGE);
    return 1;
  }
  const check = validateStoreName(args[0], existingPackages(io.root));
  if (!check.ok) {
    io.error(`new-store: ${check.reason}`);
    return 1;
  }
  const { name } = check;
  let written: string[];
  try {
    written = writeStore(io.root, name, planStore(name, loadTemplates()));
  } catch (err) {
    if (!(err instanceof ScaffoldError)) throw err;
    io.error(`new-store: ${err.message}`);
    return 1;
  }
  io.log(`Created @sessions/${name}:`);
  for (const path of written) io.log(`  ${path}`);
  const formatted = (io.format ?? biomeFormatter)(io.root, written);
  if (!formatted.ok) {
    // The package exists and works; only its layout is off. Say so, and how to fix it.
    io.error(
      `new-store: the files were created, but Biome could not format them; run \`pnpm format\`.`,
    );
    io.error(formatted.output);
  }
  for (const line of nextSteps(name)) io.log(line);
  return 0;
}

/** What the contributor does after scaffolding, in order (CONTRIBUTING.md says the same). */
export function nextSteps(name: string): string[] {
  const filter = `pnpm --filter @sessions/${name}`;
  const driver = `${pascalCase(name)}Driver`;
  return [
    '',
    'Next steps (CONTRIBUTING.md, "Adding a backend", explains each):',
    '  1. pnpm install',
    `  2. ${filter} add --save-peer --save-catalog <driver> [@types/<driver>]`,
    '     the driver as a peer and a dev dependency, its version once in the workspace catalog',
    `  3. ${filter}... build && (cd packages/${name} && pnpm vitest run)`,
    `     every check fails with "${driver}.<primitive>() is not implemented yet"`,
    `  4. write packages/${name}/src/${name}-driver.ts primitive by primitive, and the raw`,
    `     access in packages/${name}/test/conformance.test.ts, until the suite passes`,
    '  5. add the test server to tooling/test-services, bench rows and the outage run',
  ];
}

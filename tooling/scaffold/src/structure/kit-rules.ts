/**
 * The kit's layout, as rules for store packages: the store class extends the kit, the driver
 * implements `StoreDriver`, the options extend the kit's base, and `src/` does not redo what the
 * kit owns (its removed helpers, its deadline, its prune scheduler). The checks read source
 * files only, so they judge a store before it builds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspacePackage } from './packages.js';
import { type Problem, problemAt, type Rule } from './rule.js';
import { type HeritageFact, type SourceFacts, scanSource } from './source-scan.js';

/** Where a store imports the kit from. */
export const KIT_MODULE = '@sessions/core/kit';
/** Where the shared option types come from. */
export const CORE_MODULE = '@sessions/core';

/** The kit's store classes a store extends. */
export const KIT_STORE_CLASSES = ['DriverStore', 'PruningDriverStore'] as const;
/** The kit's option bases a store's options extend. */
export const KIT_OPTION_BASES = ['BaseStoreOptions', 'PruningStoreOptions'] as const;

/**
 * Helpers that left core when the kit took over their job, and what replaces each. A store
 * that imports one is doing the kit's work by hand (or no longer compiles).
 */
export const REMOVED_HELPERS: Readonly<Record<string, string>> = {
  DeadlineQueue:
    'the kit bounds every primitive: pass op.signal to the client, read op.remaining()',
  withDeadline: 'the kit bounds every primitive: pass op.signal to the client, read op.remaining()',
  Deadline: 'the kit bounds every primitive: pass op.signal to the client, read op.remaining()',
  toSessionError: "the kit maps errors: throw the client's error, or add classify() to the driver",
  encodeData: "the kit encodes data: a driver stores the codec's text as it is",
  decodeData: "the kit decodes data: a driver returns the codec's text as it is",
  StoreLifecycle: 'the kit owns the closed guard: extend DriverStore',
  resolveStoreOptions: 'the kit resolves the shared options: extend DriverStore',
  assertValidKey: 'the kit validates every argument before the driver sees it',
  assertValidSet: 'the kit validates every argument before the driver sees it',
  assertValidUserId: 'the kit validates every argument before the driver sees it',
  assertValidExpiresAt: 'the kit validates every argument before the driver sees it',
};

/** The shared options whose spelling is the kit's (never `operationTimeoutMs`). */
const KIT_OPTION_NAMES = ['operationTimeout', 'pruneInterval'];

/**
 * Timers a store may run besides a sleep, each with the reason, keyed by the file's path from
 * the workspace root. A store's deadline is the kit's `op.signal`, and its background prune the
 * kit's `pruneInterval`; a timer that is neither (a watchdog only the backend needs) goes here.
 */
export const ALLOWED_STORE_TIMERS: Readonly<Record<string, string>> = {
  'packages/dynamodb/src/table.ts':
    'a bound on each control-plane request (DescribeTable...) inside an ensureTable() that may ' +
    'run for minutes, combined with op.signal (AbortSignal.any): one request must not use the ' +
    'whole operation’s time',
  'packages/sqlite/src/file-guard.ts':
    'an unref’d once-a-second check that the database file was not deleted or replaced under an ' +
    'open connection (SQLite would go on committing into the lost inode): the backend’s own ' +
    'watchdog, neither a deadline nor a prune',
  'packages/sqlite/src/lock-gate.ts':
    'the backoff between retries of an attempt that met a SQLite lock (SQLite itself must not ' +
    'wait: it would block the event loop); each retry gives up before op.deadline, so the kit’s ' +
    'deadline still bounds the operation',
};

const named = (bases: readonly HeritageFact[], names: readonly string[]) =>
  bases.find((base) => names.includes(base.name));

/** The store class's file: a class extending the kit's store class, imported from `kitModules`. */
export function storeClassProblems(facts: SourceFacts, kitModules = [KIT_MODULE]): string[] {
  const stores = facts.classes.filter((c) => named(c.extends, KIT_STORE_CLASSES) !== undefined);
  if (stores.length === 0) {
    const byHand = facts.classes.find((c) => c.implements.some((i) => i.name === 'SessionStore'));
    const why = byHand ? `: ${byHand.name} implements SessionStore by hand` : '';
    return [
      `must export the store class, extending DriverStore or PruningDriverStore from ${KIT_MODULE}${why}`,
    ];
  }
  return stores.flatMap((store) => {
    const base = named(store.extends, KIT_STORE_CLASSES) as HeritageFact;
    const problems: string[] = [];
    if (!store.exported) problems.push(`${store.name} must be exported`);
    if (base.from === undefined || !kitModules.includes(base.from)) {
      problems.push(`${store.name} extends a ${base.name} that is not imported from ${KIT_MODULE}`);
    }
    return problems;
  });
}

/** The driver's file: a class implementing `StoreDriver` from the kit. */
export function driverProblems(facts: SourceFacts, kitModules = [KIT_MODULE]): string[] {
  // A class implementing StoreDriver, or (unstorage's `defineDriver` shape) the type a driver
  // factory returns: an interface extending it.
  const driver =
    facts.classes.find((c) => c.implements.some((i) => i.name === 'StoreDriver')) ??
    facts.interfaces
      .map((i) => ({ name: i.name, implements: i.extends }))
      .find((i) => i.implements.some((h) => h.name === 'StoreDriver'));
  if (driver === undefined) {
    return [
      `must hold the backend's primitives: a class that implements StoreDriver from ${KIT_MODULE}, or the interface (extending it) that a driver factory returns`,
    ];
  }
  const base = driver.implements.find((i) => i.name === 'StoreDriver') as HeritageFact;
  return base.from !== undefined && kitModules.includes(base.from)
    ? []
    : [`${driver.name} implements a StoreDriver that is not imported from ${KIT_MODULE}`];
}

/** The options file: an exported interface extending the kit's option base, spelled as the kit. */
export function optionsProblems(facts: SourceFacts, coreModules = [CORE_MODULE]): string[] {
  const options = facts.interfaces.filter((i) => named(i.extends, KIT_OPTION_BASES) !== undefined);
  if (options.length === 0) {
    return ['must export the store options, extending BaseStoreOptions or PruningStoreOptions'];
  }
  return options.flatMap((option) => {
    const base = named(option.extends, KIT_OPTION_BASES) as HeritageFact;
    const problems: string[] = [];
    if (base.from === undefined || !coreModules.includes(base.from)) {
      problems.push(
        `${option.name} extends a ${base.name} that is not imported from ${CORE_MODULE}`,
      );
    }
    for (const respelled of KIT_OPTION_NAMES.map((n) => `${n}Ms`)) {
      if (option.members.includes(respelled)) {
        problems.push(
          `${option.name}.${respelled}: the shared option is \`${respelled.slice(0, -2)}\`, from the kit's base`,
        );
      }
    }
    return problems;
  });
}

/** Any `src/` file: no removed helper, no timer but a sleep (unless allowed, by `path`). */
export function shellProblems(facts: SourceFacts, path: string): string[] {
  const problems = facts.imports
    .filter((i) => Object.hasOwn(REMOVED_HELPERS, i.name) && i.from.startsWith(CORE_MODULE))
    .map((i) => `line ${i.line}: imports ${i.name}; ${REMOVED_HELPERS[i.name]}`);
  if (!Object.hasOwn(ALLOWED_STORE_TIMERS, path)) {
    for (const timer of facts.timers.filter((t) => !t.sleep)) {
      problems.push(
        `line ${timer.line}: ${timer.what} runs a timer of the store's own; deadlines are the kit's op.signal, the background prune its pruneInterval (a sleep, setTimeout(resolve, ms), is fine; anything else goes in ALLOWED_STORE_TIMERS with its reason)`,
      );
    }
  }
  return problems;
}

function scanFile(pkg: WorkspacePackage, file: string): SourceFacts | undefined {
  const path = join(pkg.dir, file);
  return existsSync(path) ? scanSource(readFileSync(path, 'utf8'), path) : undefined;
}

/** A rule over one file of the package; a missing file is left to `store/layout`. */
function fileRule(
  file: (pkg: WorkspacePackage) => string,
  judge: (facts: SourceFacts) => string[],
) {
  return (pkg: WorkspacePackage): Problem[] => {
    const name = file(pkg);
    const facts = scanFile(pkg, name);
    return facts === undefined ? [] : judge(facts).map((message) => problemAt(pkg, name, message));
  };
}

/** Every `.ts` file under `src/`, relative to the package. */
function sourceFiles(pkg: WorkspacePackage, dir = 'src'): string[] {
  const abs = join(pkg.dir, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(pkg, rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

function kitShell(pkg: WorkspacePackage): Problem[] {
  return sourceFiles(pkg).flatMap((file) =>
    shellProblems(scanFile(pkg, file) as SourceFacts, `${pkg.relDir}/${file}`).map((message) =>
      problemAt(pkg, file, message),
    ),
  );
}

/** The rules of the kit's layout, for store packages. */
export const KIT_RULES: readonly Rule[] = [
  {
    id: 'kit/store-class',
    summary:
      'src/<name>-store.ts exports the store class, extending the kit (DriverStore or PruningDriverStore)',
    appliesTo: ['store'],
    check: fileRule(
      (pkg) => `src/${pkg.folder}-store.ts`,
      (facts) => storeClassProblems(facts),
    ),
  },
  {
    id: 'kit/driver',
    summary:
      "src/<name>-driver.ts holds the backend's primitives: a class implementing StoreDriver, or a factory's interface extending it",
    appliesTo: ['store'],
    check: fileRule(
      (pkg) => `src/${pkg.folder}-driver.ts`,
      (facts) => driverProblems(facts),
    ),
  },
  {
    id: 'kit/options',
    summary: "src/options.ts extends the kit's option base, spelling its options as the kit does",
    appliesTo: ['store'],
    check: fileRule(
      () => 'src/options.ts',
      (facts) => optionsProblems(facts),
    ),
  },
  {
    id: 'kit/owns-the-shell',
    summary:
      "src/ imports none of the kit's removed helpers and runs no deadline or prune timer of its own",
    appliesTo: ['store'],
    check: kitShell,
  },
];

import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkPackage,
  classifyPackage,
  ESM_ONLY_SUBPATHS,
  formatProblems,
  RULES,
  type Rule,
  type WorkspacePackage,
} from '../src/structure/index.js';
import { editJson, fixturePackage, removeFixtures } from './fixture.js';

afterAll(removeFixtures);

type Json = Record<string, unknown>;

/** One way a package can drift, and exactly which files the checker must blame. */
interface Drift {
  name: string;
  mutate(dir: string): void;
  files: string[];
  message: RegExp;
}

const edit = (dir: string, file: string, change: (text: string) => string) => {
  const path = join(dir, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
};
const exportsOf = (manifest: Json) =>
  (manifest.exports as Record<string, Record<string, Json>>)['.'];

const drifts: Drift[] = [
  {
    name: 'a README without its Expiry section',
    mutate: (dir) => edit(dir, 'README.md', (t) => t.replace('## Expiry\n', '')),
    files: ['packages/acme/README.md'],
    message: /has no section "## Expiry"/,
  },
  {
    name: 'the driver moved into dependencies',
    mutate: (dir) =>
      editJson(join(dir, 'package.json'), (m) => {
        m.dependencies = { '@sessions/core': 'workspace:^', 'fixture-driver': '^1.0.0' };
        m.peerDependencies = {};
      }),
    files: ['packages/acme/package.json'],
    message: /"fixture-driver" is in dependencies/,
  },
  {
    name: 'exports pointing at a file the build did not produce',
    mutate: (dir) =>
      editJson(join(dir, 'package.json'), (m) => {
        const dot = exportsOf(m);
        if (dot?.import) dot.import.default = './dist/missing.js';
        m.module = './dist/missing.js';
      }),
    files: ['packages/acme/dist/missing.js'],
    message: /does not exist, but package.json exports\["\."\]\.import\.default points at it/,
  },
  {
    name: 'a missing src/options.ts',
    mutate: (dir) => unlinkSync(join(dir, 'src/options.ts')),
    files: ['packages/acme/src/options.ts'],
    message: /is missing \(the standard store layout/,
  },
  {
    name: 'a conformance test that does not run the suite',
    mutate: (dir) =>
      writeFileSync(join(dir, 'test/conformance.test.ts'), "import { it } from 'vitest';\n"),
    files: ['packages/acme/test/conformance.test.ts'],
    message: /must call describeStore/,
  },
  {
    name: 'a tsconfig extending the shared one by relative path',
    mutate: (dir) =>
      editJson(join(dir, 'tsconfig.json'), (t) => {
        t.extends = '../../tooling/typescript/library.json';
      }),
    files: ['packages/acme/tsconfig.json'],
    message: /must extend the shared config by package name/,
  },
  {
    name: 'sideEffects not false',
    mutate: (dir) =>
      editJson(join(dir, 'package.json'), (m) => {
        m.sideEffects = true;
      }),
    files: ['packages/acme/package.json'],
    message: /"sideEffects" must be false/,
  },
  {
    name: 'types listed after default',
    mutate: (dir) =>
      editJson(join(dir, 'package.json'), (m) => {
        const dot = exportsOf(m);
        if (dot) dot.require = { default: './dist/index.cjs', types: './dist/index.d.cts' };
      }),
    files: ['packages/acme/package.json'],
    message: /exports\["\."\]\.require lists default, types: "types" must come first/,
  },
  {
    name: 'no build output',
    mutate: (dir) => rmSync(join(dir, 'dist'), { recursive: true }),
    files: ['packages/acme/dist'],
    message: /is missing: run `pnpm build`/,
  },
  {
    name: 'a timer started when the ESM entry is imported',
    mutate: (dir) => edit(dir, 'dist/index.js', (t) => `setInterval(() => {}, 60_000);\n${t}`),
    files: ['packages/acme/dist/index.js'],
    message: /importing it calls setInterval/,
  },
  {
    name: "an unref'd timer started when the CJS entry is required",
    mutate: (dir) =>
      edit(dir, 'dist/index.cjs', (t) => `setTimeout(() => {}, 60_000).unref();\n${t}`),
    files: ['packages/acme/dist/index.cjs'],
    message: /requiring it calls setTimeout/,
  },
  {
    name: 'a CJS build exporting other names than the ESM build',
    mutate: (dir) => edit(dir, 'dist/index.cjs', (t) => `${t}exports.extra = 1;\n`),
    files: ['packages/acme/dist/index.cjs'],
    message: /exports \[AcmeStore, extra\] but import\(\) exports \[AcmeStore\]/,
  },
  {
    name: 'an ESM build that does not load',
    mutate: (dir) => edit(dir, 'dist/index.js', (t) => `import './nowhere.js';\n${t}`),
    files: ['packages/acme/dist/index.js'],
    message: /import\("@sessions\/acme"\) fails on Node v20/,
  },
  {
    name: 'a missing driver file',
    mutate: (dir) => unlinkSync(join(dir, 'src/acme-driver.ts')),
    files: ['packages/acme/src/acme-driver.ts'],
    message: /is missing \(the standard store layout/,
  },
  {
    name: 'a store class that implements the contract by hand instead of extending the kit',
    mutate: (dir) =>
      edit(dir, 'src/acme-store.ts', (t) =>
        t.replace(
          /export class AcmeStore[^{]*\{/,
          'export class AcmeStore<D = SessionData> implements SessionStore<D> {',
        ),
      ),
    files: ['packages/acme/src/acme-store.ts'],
    message:
      /must export the store class, extending DriverStore .*: AcmeStore implements SessionStore by hand/,
  },
  {
    name: 'a driver that does not implement StoreDriver',
    mutate: (dir) =>
      edit(dir, 'src/acme-driver.ts', (t) => t.replace(' implements StoreDriver', '')),
    files: ['packages/acme/src/acme-driver.ts'],
    message: /must hold the backend's primitives: a class that implements StoreDriver/,
  },
  {
    name: 'a deadline of its own (setTimeout) in the driver',
    mutate: (dir) =>
      edit(
        dir,
        'src/acme-driver.ts',
        (t) =>
          `${t}\nexport const bounded = (work: Promise<unknown>) =>\n  Promise.race([work, new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 50))]);\n`,
      ),
    files: ['packages/acme/src/acme-driver.ts'],
    message: /line \d+: setTimeout\(\(\) => reject.*runs a timer of the store's own/,
  },
  {
    name: 'a prune timer of its own (setInterval) in the store',
    mutate: (dir) =>
      edit(
        dir,
        'src/acme-store.ts',
        (t) => `${t}\nsetInterval(() => undefined, 60_000).unref();\n`,
      ),
    files: ['packages/acme/src/acme-store.ts'],
    message: /setInterval\(.*runs a timer of the store's own/,
  },
  {
    name: 'a helper the kit replaced (withDeadline)',
    mutate: (dir) =>
      edit(
        dir,
        'src/options.ts',
        (t) => `import { withDeadline } from '@sessions/core';\n${t}\nexport { withDeadline };\n`,
      ),
    files: ['packages/acme/src/options.ts'],
    message: /line 1: imports withDeadline; the kit bounds every primitive/,
  },
  {
    name: 'an option respelled operationTimeoutMs',
    mutate: (dir) =>
      edit(dir, 'src/options.ts', (t) =>
        t.replace('  client?: unknown;', '  client?: unknown;\n  operationTimeoutMs?: number;'),
      ),
    files: ['packages/acme/src/options.ts'],
    message: /AcmeStoreOptions\.operationTimeoutMs: the shared option is `operationTimeout`/,
  },
  {
    name: 'options that do not extend the kit base',
    mutate: (dir) =>
      edit(dir, 'src/options.ts', (t) => t.replace(' extends PruningStoreOptions<D>', '')),
    files: ['packages/acme/src/options.ts'],
    message: /must export the store options, extending BaseStoreOptions or PruningStoreOptions/,
  },
];

describe('the structure checker', () => {
  it('finds nothing wrong with a conforming store package', async () => {
    const { load } = fixturePackage();
    const pkg = load();
    expect(pkg.kind).toBe('store');
    expect(formatProblems(await checkPackage(pkg))).toEqual([]);
  });

  it.each(drifts)(
    'blames exactly the drifted file for $name',
    async ({ mutate, files, message }) => {
      const { dir, load } = fixturePackage();
      mutate(dir);
      const problems = await checkPackage(load());
      expect(
        [...new Set(problems.map((p) => p.file))],
        formatProblems(problems).join('\n'),
      ).toEqual(files);
      expect(formatProblems(problems).join('\n')).toMatch(message);
    },
  );
});

describe('classifyPackage', () => {
  it('treats core, conformance and the adapters by role, whatever files they hold', () => {
    const { dir } = fixturePackage();
    expect(classifyPackage('core', dir)).toBe('core');
    expect(classifyPackage('conformance', dir)).toBe('conformance');
    expect(classifyPackage('express', dir)).toBe('adapter');
  });

  it('keeps a store a store when only its conformance test or only its store file remains', () => {
    const { dir } = fixturePackage();
    unlinkSync(join(dir, 'src/acme-store.ts'));
    expect(classifyPackage('acme', dir)).toBe('store');
    const other = fixturePackage();
    unlinkSync(join(other.dir, 'test/conformance.test.ts'));
    expect(classifyPackage('acme', other.dir)).toBe('store');
    unlinkSync(join(other.dir, 'src/acme-store.ts'));
    expect(classifyPackage('acme', other.dir)).toBe('other');
  });
});

describe('ESM-only subpaths', () => {
  const exportsRule = RULES.find((rule) => rule.id === 'manifest/exports-map') as Rule;
  const branch = (file: string) => ({ types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` });
  const conformance = (vitest: Record<string, unknown>): WorkspacePackage => ({
    root: '/nowhere',
    folder: 'conformance',
    dir: '/nowhere/packages/conformance',
    relDir: 'packages/conformance',
    kind: 'conformance',
    manifest: {
      name: '@sessions/conformance',
      exports: {
        '.': { import: branch('index'), require: branch('index') },
        './vitest': vitest,
        './package.json': './package.json',
      },
    },
  });

  it('need only an import branch when listed in ESM_ONLY_SUBPATHS, and must not have require', async () => {
    expect(Object.keys(ESM_ONLY_SUBPATHS)).toEqual(['@sessions/conformance/vitest']);
    expect(await exportsRule.check(conformance({ import: branch('vitest') }))).toEqual([]);
    const withRequire = conformance({ import: branch('vitest'), require: branch('vitest') });
    expect(formatProblems(await exportsRule.check(withRequire))).toEqual([
      'packages/conformance/package.json: exports["./vitest"] is ESM only (it imports vitest, which is ESM-only and refuses to be loaded through require()): remove its require branch',
    ]);
  });

  it('are the only ones allowed to leave out require', async () => {
    const pkg = conformance({ import: branch('vitest') });
    pkg.manifest.name = '@sessions/other';
    expect(formatProblems(await exportsRule.check(pkg))).toEqual([
      'packages/conformance/package.json: exports["./vitest"].require.types is missing',
      'packages/conformance/package.json: exports["./vitest"].require.default is missing',
    ]);
  });
});

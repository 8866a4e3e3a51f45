/**
 * CONTRIBUTING.md's "Adding a backend", followed literally on a fresh copy of the repository
 * (what git tracks: no node_modules, no dist): every shell block of the guide runs as written,
 * up to the suite. The generated store then builds, typechecks and lints; its suite fails with
 * readable "not implemented" errors naming the primitive to write; and once its driver is a
 * `Map` (the generated store class unchanged), it passes the whole suite and the structure
 * check. Takes two to four minutes on two cores (a fresh install, the driver fetched once from
 * the registry, core and the suite built twice, the suite run twice).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../src/generate.js';
import { pascalCase } from '../src/names.js';
import { checkPackage, findPackages, formatProblems } from '../src/structure/index.js';
import { backendGuide, freshClone, runBlock } from './contributing.js';
import { type CommandResult, run } from './support.js';

const guide = backendGuide();
const { name } = guide;
const Name = pascalCase(name);
/** Every block but the last runs once, as setup; the last one runs the suite. */
const setupBlocks = guide.blocks.slice(0, -1);
const suiteBlock = guide.blocks.at(-1) ?? '';

let work: string;
let pkgDir: string;

/** The vitest JSON results the shared config writes. */
interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

function expectSuccess(result: CommandResult, what: string): void {
  expect(result.status, `${what} failed:\n${result.output.slice(-6000)}`).toBe(0);
}

/** Run the guide's suite block; resolves to its result and the JSON report vitest wrote. */
function runSuiteBlock(): { result: CommandResult; report: VitestReport } {
  const reportPath = join(work, `node_modules/.cache/sessions-test-results/_sessions_${name}.json`);
  rmSync(reportPath, { force: true });
  const result = runBlock(suiteBlock, work, 400_000);
  let report: VitestReport;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as VitestReport;
  } catch {
    throw new Error(`the suite wrote no report:\n${result.output.slice(-6000)}`);
  }
  return { result, report };
}

beforeAll(() => {
  expect(suiteBlock).toMatch(/vitest run/);
  work = freshClone();
  pkgDir = join(work, 'packages', name);
  for (const block of setupBlocks) expectSuccess(runBlock(block, work, 300_000), block);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe(`CONTRIBUTING.md, "Adding a backend", on a fresh clone (pnpm new-store ${name})`, () => {
  it('runs the suite as the guide says: it fails readably, naming the primitive to write', () => {
    const { result, report } = runSuiteBlock();
    expect(result.status, result.output.slice(-3000)).toBe(1);
    expect(report.numTotalTests).toBeGreaterThanOrEqual(180);
    expect(report.numFailedTests).toBeGreaterThan(report.numTotalTests * 0.8);
    // Failures are the driver's own errors or a check's assertion, not crashes.
    expect(result.output).not.toMatch(/Unhandled|TypeError|ReferenceError|SyntaxError|Cannot find/);
    const messages = report.testResults.flatMap((file) => {
      expect(file.message ?? '', 'a test file failed to load').toBe('');
      return file.assertionResults
        .filter((test) => test.status === 'failed')
        .map((test) => `${test.fullName}: ${test.failureMessages.join('\n')}`);
    });
    const readable = (m: string) => /is not implemented yet|AssertionError/.test(m);
    expect(messages.filter((m) => !readable(m))).toEqual([]);
    const primitive = new RegExp(`${Name}Driver\\.(\\w+)\\(\\) is not implemented yet`);
    const named = messages.map((m) => primitive.exec(m)?.[1]).filter((p) => p !== undefined);
    // A check may report the effect ("0 writers won") rather than the cause; most name it.
    expect(named.length).toBeGreaterThanOrEqual(messages.length * 0.8);
    expect(new Set(named)).toContain('set');
  });

  it('builds, typechecks, and passes Biome and publint', () => {
    expectSuccess(run('pnpm', ['exec', 'tsc', '--noEmit'], { cwd: pkgDir }), 'tsc');
    expectSuccess(run('pnpm', ['run', 'lint'], { cwd: pkgDir }), 'publint');
    const biome = join(work, 'node_modules/.bin/biome');
    expectSuccess(run(biome, ['check', `packages/${name}`], { cwd: work }), 'biome check');
  });

  it('is lint-clean even for a 40-character name, whose lines wrap', () => {
    const long = 'a-very-long-backend-name-for-line-wraps9';
    expect(long).toHaveLength(40);
    const generated = runBlock(`pnpm new-store ${long}`, work, 120_000);
    expectSuccess(generated, `pnpm new-store ${long}`);
    expect(generated.output).not.toContain('could not format');
    const biome = run(join(work, 'node_modules/.bin/biome'), ['check', `packages/${long}`], {
      cwd: work,
    });
    expectSuccess(biome, 'biome check');
    rmSync(join(work, 'packages', long), { recursive: true });
    rmSync(join(work, '.changeset', `${long}-initial.md`));
  });

  it('passes the structure check as generated, its driver declared as the guide says', async () => {
    const pkg = findPackages(work).find((p) => p.folder === name);
    expect(pkg?.kind).toBe('store');
    if (pkg === undefined) return;
    expect(formatProblems(await checkPackage(pkg))).toEqual([]);
    // `--save-peer --save-catalog`: the versions live in the workspace catalog, once.
    const peers = Object.values(pkg.manifest.peerDependencies ?? {});
    expect(peers.length).toBeGreaterThan(0);
    expect(peers.every((range) => range === 'catalog:')).toBe(true);
  });

  it('passes the whole suite once its driver is written (a Map), the store class unchanged', async () => {
    const store = readFileSync(join(pkgDir, `src/${name}-store.ts`), 'utf8');
    const fixture = (file: string) =>
      render(readFileSync(new URL(`map-backed/${file}`, import.meta.url), 'utf8'), { name, Name });
    writeFileSync(join(pkgDir, `src/${name}-driver.ts`), fixture('driver.ts.tpl'));
    writeFileSync(join(pkgDir, 'src/options.ts'), fixture('options.ts.tpl'));
    writeFileSync(join(pkgDir, 'test/conformance.test.ts'), fixture('conformance.test.ts.tpl'));
    const { result, report } = runSuiteBlock();
    expectSuccess(result, 'the conformance suite');
    expect(report.numPassedTests).toBe(report.numTotalTests);
    expect(report.numTotalTests).toBeGreaterThanOrEqual(180);
    expect(readFileSync(join(pkgDir, `src/${name}-store.ts`), 'utf8')).toBe(store);
    expectSuccess(run('pnpm', ['exec', 'tsc', '--noEmit'], { cwd: pkgDir }), 'tsc');
    const biome = join(work, 'node_modules/.bin/biome');
    expectSuccess(run(biome, ['check', `packages/${name}`], { cwd: work }), 'biome check');
    const pkg = findPackages(work).find((p) => p.folder === name);
    if (pkg !== undefined) expect(formatProblems(await checkPackage(pkg))).toEqual([]);
  });
});

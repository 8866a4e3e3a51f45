/**
 * The structure check over the real workspace: every published package against every rule
 * that applies to it, one test per rule, so a failure names the package, the rule and the
 * file. Runs on the built output: `pnpm test` builds first.
 */
import { describe, expect, it } from 'vitest';
import { findPackages, formatProblems, rulesFor } from '../src/structure/index.js';
import { ROOT } from './support.js';

const packages = findPackages(ROOT);

it('classifies the built-in packages by role, and the four stores as stores', () => {
  const kinds = Object.fromEntries(packages.map((pkg) => [pkg.folder, pkg.kind]));
  expect(kinds).toMatchObject({
    core: 'core',
    conformance: 'conformance',
    express: 'adapter',
    fastify: 'adapter',
    hono: 'adapter',
    redis: 'store',
    mongodb: 'store',
    sqlite: 'store',
    dynamodb: 'store',
  });
});

describe.each(packages.map((pkg) => ({ ...pkg, label: `${pkg.relDir} (${pkg.kind})` })))(
  '$label',
  (pkg) => {
    for (const rule of rulesFor(pkg)) {
      it(`${rule.id}: ${rule.summary}`, async () => {
        expect(formatProblems(await rule.check(pkg))).toEqual([]);
      });
    }
  },
);

#!/usr/bin/env node
// `pnpm check:packs [--consumer]`: what a user downloads, checked as they will get it. Packs
// every public package with `pnpm pack` (workspace: ranges become real versions), checks each
// tarball carries its LICENSE and repository metadata, and runs Are The Types Wrong on it.
// With --consumer, also installs all the tarballs into a plain npm project, with the current
// release (`@latest`) of every peer, on the newest Node.js line of the matrix, and fails on any
// npm warning (a peer range that excludes a current major shows up as ERESOLVE) or an invalid
// tree (`npm ls`). Run after `pnpm build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lanes } from '../../matrix/lanes.mjs';
import { lineEnv, nodeLine } from '../../matrix/node-line.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const consumer = process.argv.includes('--consumer');
const work = mkdtempSync(join(tmpdir(), 'sessions-packs-'));
const problems = [];

const packages = readdirSync(join(root, 'packages'))
  .map((name) => ({ dir: join(root, 'packages', name) }))
  .map((p) => ({ ...p, manifest: JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8')) }))
  .filter((p) => p.manifest.private !== true);

const tarballs = [];
for (const { dir, manifest } of packages) {
  const before = new Set(readdirSync(work));
  execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: dir, stdio: 'ignore' });
  const tarball = join(work, readdirSync(work).find((name) => !before.has(name)) ?? '');
  tarballs.push(tarball);
  const listed = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
  const packed = JSON.parse(
    execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  );
  const required = ['package/LICENSE', 'package/README.md'];
  if (manifest.name === '@sessions/core') required.push('package/THIRD_PARTY_NOTICES.md');
  for (const file of required) {
    if (!listed.includes(file)) problems.push(`${manifest.name}: the tarball has no ${file}`);
  }
  if (!packed.repository?.directory || !packed.homepage || !packed.bugs?.url) {
    problems.push(`${manifest.name}: repository (with directory), homepage or bugs missing`);
  }
  if (
    JSON.stringify(packed).includes('workspace:') ||
    JSON.stringify(packed).includes('catalog:')
  ) {
    problems.push(
      `${manifest.name}: the packed package.json still has a workspace:/catalog: range`,
    );
  }
  // TypeScript's node10 resolution (`moduleResolution: "node"`) predates `exports` and cannot
  // see subpath entries; it is not supported (root README, "Compatibility"). An entry point
  // with no `require` condition is ESM-only by design: it is checked for ESM consumers only.
  const esmOnly = Object.entries(packed.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && !('require' in target))
    .map(([entry]) => entry);
  const attwRun = (args) =>
    spawnSync('pnpm', ['exec', 'attw', tarball, '--format', 'table-flipped', ...args], {
      cwd: root,
      encoding: 'utf8',
    });
  const runs = [
    attwRun([
      '--profile',
      'node16',
      ...(esmOnly.length ? ['--exclude-entrypoints', ...esmOnly] : []),
    ]),
    ...(esmOnly.length ? [attwRun(['--profile', 'esm-only', '--entrypoints', ...esmOnly])] : []),
  ];
  const failedRun = runs.find((run) => run.status !== 0);
  const attw = failedRun ?? runs[0];
  console.log(`${manifest.name}: attw ${failedRun ? 'FAILED' : 'ok'}`);
  if (attw.status !== 0) problems.push(`${manifest.name}: attw\n${attw.stdout}${attw.stderr}`);
}

if (consumer) {
  const line = nodeLine(Math.max(...lanes.map((l) => l.node)));
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  const peers = new Set(
    packages.flatMap(({ manifest }) =>
      Object.keys(manifest.peerDependencies ?? {}).filter((n) => !n.startsWith('@sessions/')),
    ),
  );
  const specs = [
    ...tarballs,
    ...[...peers].sort().map((name) => `${name}@latest`),
    // For the type check below: Node's types of the line the project runs on.
    `@types/node@${line.version.slice(1).split('.')[0]}`,
  ];
  console.log(`consumer: npm install on Node.js ${line.version}: ${[...peers].sort().join(', ')}`);
  // As a user installs: the line's Node and headers, but no build-from-source switch.
  const { npm_config_build_from_source: _, ...env } = lineEnv(line);
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', ...specs], {
    cwd: app,
    env,
    encoding: 'utf8',
  });
  const warnings = `${install.stdout}\n${install.stderr}`
    .split('\n')
    .filter((l) => /\bwarn\b|ERR!/i.test(l));
  if (install.status !== 0 || warnings.length > 0) {
    problems.push(`consumer install:\n${install.stdout}${install.stderr}`);
  }
  const ls = spawnSync('npm', ['ls', '--all'], { cwd: app, env, encoding: 'utf8' });
  if (ls.status !== 0) problems.push(`consumer npm ls:\n${ls.stdout}${ls.stderr}`);
  const versions = spawnSync('npm', ['ls', '--depth=0'], { cwd: app, encoding: 'utf8' }).stdout;
  console.log(versions.trim());
  // The published declarations against the current peers' types, checked in full (no
  // skipLibCheck): an entry point whose types import a peer's must compile with its latest.
  const entries = packages.flatMap(({ manifest }) =>
    Object.keys(manifest.exports ?? {})
      .filter((entry) => entry !== './package.json')
      .map((entry) => `${manifest.name}${entry.slice(1)}`),
  );
  writeFileSync(
    join(app, 'index.ts'),
    entries.map((entry, i) => `export * as m${i} from '${entry}';`).join('\n'),
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['index.ts'],
    }),
  );
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      { ...JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')), type: 'module' },
      null,
      2,
    ),
  );
  const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', app], {
    cwd: app,
    encoding: 'utf8',
  });
  console.log(
    `consumer: tsc over ${entries.length} entry points ${tsc.status === 0 ? 'ok' : 'FAILED'}`,
  );
  if (tsc.status !== 0) problems.push(`consumer tsc:\n${tsc.stdout}${tsc.stderr}`);
}

rmSync(work, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`\n${packages.length} packages: packed, LICENSE and metadata present, attw clean.`);

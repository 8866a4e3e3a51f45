/**
 * CONTRIBUTING.md's "Adding a backend", checked in seconds (generator-e2e.test.ts runs it in
 * full): the commands in the order a fresh clone needs, and the fixtures the end-to-end test
 * writes already in the workspace's format, whatever the guide's example name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../src/generate.js';
import { pascalCase } from '../src/names.js';
import { backendGuide, MARKER } from './contributing.js';
import { biomeFixed, ROOT } from './support.js';

const contributing = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
const guide = backendGuide(contributing);
const commands = guide.blocks.flatMap((block) =>
  block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

describe("CONTRIBUTING.md's commands for a new backend", () => {
  it('are read from the sh blocks between "Adding a backend" and the test marker', () => {
    expect(guide.blocks.length).toBeGreaterThanOrEqual(2);
    expect(guide.name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(contributing.indexOf(MARKER)).toBeGreaterThan(contributing.indexOf('### 3.'));
    expect(() => backendGuide(contributing.replace(MARKER, '<!-- -->'))).toThrow(/marker/);
  });

  it('install before scaffolding: the generator runs on tsx, which a fresh clone lacks', () => {
    const install = commands.indexOf('pnpm install');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(commands.indexOf(`pnpm new-store ${guide.name}`));
  });

  it('build the package with its dependencies (`...`): core is not built on a fresh clone', () => {
    const builds = commands.filter((c) => / build\b/.test(c));
    expect(builds.length).toBeGreaterThan(0);
    for (const build of builds)
      expect(build).toContain(`--filter @sessions/${guide.name}... build`);
  });

  it('add the driver as a peer through the catalog, with its @types', () => {
    const add = commands.find((c) => c.includes(' add '));
    expect(add).toMatch(/ add --save-peer --save-catalog \S+ @types\/\S+$/);
  });

  it('never spell an option the way no store does (operationTimeoutMs)', () => {
    expect(contributing).not.toMatch(/\w+TimeoutMs\b|pruneIntervalMs/);
    const templates = join(ROOT, 'tooling/scaffold/templates');
    for (const file of readdirSync(templates, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.tpl')) continue;
      expect(readFileSync(join(templates, file), 'utf8'), file).not.toMatch(/\w+Ms\b/);
    }
  });
});

describe('the Map-backed driver the end-to-end test writes', () => {
  const fixtures = ['driver.ts.tpl', 'options.ts.tpl', 'conformance.test.ts.tpl'];
  const targets: Record<string, (name: string) => string> = {
    'driver.ts.tpl': (name) => `packages/${name}/src/${name}-driver.ts`,
    'options.ts.tpl': (name) => `packages/${name}/src/options.ts`,
    'conformance.test.ts.tpl': (name) => `packages/${name}/test/conformance.test.ts`,
  };

  it.each([guide.name, 'acme'])('is in Biome format for the name %s', (name) => {
    for (const fixture of fixtures) {
      const template = readFileSync(new URL(`map-backed/${fixture}`, import.meta.url), 'utf8');
      const text = render(template, { name, Name: pascalCase(name) });
      const target = (targets[fixture] as (n: string) => string)(name);
      expect(biomeFixed(text, target), target).toBe(text);
    }
  });
});

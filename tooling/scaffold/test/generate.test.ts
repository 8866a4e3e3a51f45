import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planStore, render, TEMPLATE_FILES } from '../src/generate.js';
import { loadTemplates } from '../src/templates.js';
import { biomeFixed, ROOT } from './support.js';

const templates = loadTemplates();
const files = planStore('acme', templates);
const file = (path: string) => {
  const text = files.get(path);
  if (text === undefined) throw new Error(`${path} was not generated`);
  return text;
};
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

/** The primitives of the kit's StoreDriver interface, read from core's source. */
function driverPrimitives(): Array<{ name: string; optional: boolean }> {
  const types = readFileSync(join(ROOT, 'packages/core/src/kit/driver.ts'), 'utf8');
  const body = types.slice(types.indexOf('export interface StoreDriver {'));
  const block = body.slice(0, body.indexOf('\n}'));
  return [...block.matchAll(/^ {2}(\w+)(\??)\(/gm)].map((m) => ({
    name: m[1] ?? '',
    optional: m[2] === '?',
  }));
}

describe('planStore', () => {
  it('generates the standard layout and a changeset, nothing else', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        '.changeset/acme-initial.md',
        'packages/acme/LICENSE',
        'packages/acme/README.md',
        'packages/acme/package.json',
        'packages/acme/src/acme-driver.ts',
        'packages/acme/src/acme-store.ts',
        'packages/acme/src/index.ts',
        'packages/acme/src/options.ts',
        'packages/acme/test/conformance.test.ts',
        'packages/acme/tsconfig.json',
        'packages/acme/tsup.config.ts',
        'packages/acme/vitest.config.ts',
      ].sort(),
    );
  });

  it('leaves no placeholder behind', () => {
    for (const [path, text] of files) expect(text, path).not.toMatch(/\{\{|\}\}/);
  });

  it('writes a package.json shaped like the built-in stores', () => {
    const pkg = JSON.parse(file('packages/acme/package.json'));
    const redis = readJson('packages/redis/package.json');
    expect(pkg.name).toBe('@sessions/acme');
    expect(pkg.version).toBe('0.0.0');
    for (const field of [
      'type',
      'sideEffects',
      'exports',
      'main',
      'module',
      'types',
      'files',
      'engines',
    ]) {
      expect(pkg[field], field).toEqual(redis[field]);
    }
    for (const script of ['build', 'test', 'typecheck', 'lint']) {
      expect(pkg.scripts[script], script).toBe(redis.scripts[script]);
    }
    expect(pkg.dependencies).toEqual({ '@sessions/core': 'workspace:^' });
    // The driver is declared by the contributor (`pnpm add --save-peer`); no fake name ships.
    expect(pkg.peerDependencies).toEqual({});
    // Redis's own drivers (ioredis, node-redis 6 and 5) aside, the same dev tooling.
    const drivers = ['ioredis', 'redis', 'redis5'];
    const redisDevTooling = Object.keys(redis.devDependencies).filter((d) => !drivers.includes(d));
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(redisDevTooling.sort());
  });

  it('extends the shared tsconfig by name and uses the shared build and test configs', () => {
    expect(JSON.parse(file('packages/acme/tsconfig.json')).extends).toBe(
      '@sessions/tsconfig/library.json',
    );
    expect(file('packages/acme/tsup.config.ts')).toContain("from '@sessions/build-config'");
    expect(file('packages/acme/vitest.config.ts')).toContain("from '@sessions/vitest-config'");
  });

  it('writes a store class that extends the kit and only builds its driver', () => {
    const store = file('packages/acme/src/acme-store.ts');
    expect(store).toContain("import { PruningDriverStore } from '@sessions/core/kit';");
    expect(store).toMatch(
      /export class AcmeStore<D = SessionData> extends PruningDriverStore<D, AcmeDriver>/,
    );
    expect(store).toContain('new AcmeDriver(options.client, namespace)');
    // The kit owns the contract methods: the class declares none of them.
    expect(store).not.toMatch(/^ {2}(async )?(get|set|touch|delete|close)\(/m);
  });

  it('writes a driver with every primitive of StoreDriver, each naming itself until written', () => {
    const driver = file('packages/acme/src/acme-driver.ts');
    expect(driver).toMatch(/export class AcmeDriver implements StoreDriver \{/);
    const primitives = driverPrimitives();
    expect(primitives.map((p) => p.name)).toEqual(
      expect.arrayContaining(['get', 'set', 'touch', 'delete', 'listByUser', 'close']),
    );
    // Every required primitive, and prune (the store prunes), throws until written; close, which
    // may rightly do nothing for a client the store was given, is an empty body.
    const toWrite = primitives.filter(
      (p) => (!p.optional || p.name === 'prune') && p.name !== 'close',
    );
    for (const { name } of toWrite) {
      expect(driver, name).toMatch(
        new RegExp(`^  ${name}\\([^]*?\\{\\n    throw notYet\\('${name}'\\);`, 'm'),
      );
    }
    expect(driver.match(/throw notYet\(/g)).toHaveLength(toWrite.length);
    expect(driver).toMatch(/new NotImplementedError\(SOURCE, `AcmeDriver\.\$\{primitive\}`\)/);
    expect(driver).toMatch(/^ {2}close\(_op: Operation\): Awaitable<void> \{\}$/m);
  });

  it('writes options extending the kit base, spelled as every store spells them', () => {
    const options = file('packages/acme/src/options.ts');
    expect(options).toMatch(
      /export interface AcmeStoreOptions<D = SessionData> extends PruningStoreOptions<D>/,
    );
    expect(options).toContain("export const SOURCE = '@sessions/acme';");
    // operationTimeout, pruneInterval... come from the base, never respelled (`operationTimeoutMs`).
    for (const [path, text] of files) expect(text, path).not.toMatch(/\w+Ms\b/);
  });

  it('writes an index exporting the store and its options', () => {
    const index = file('packages/acme/src/index.ts');
    expect(index).toContain("export { AcmeStore } from './acme-store.js';");
    expect(index).toContain("export type { AcmeStoreOptions } from './options.js';");
  });

  it('writes a conformance test that only calls describeStore, with raw access stubs', () => {
    const test = file('packages/acme/test/conformance.test.ts');
    expect(test).toContain("import { describeStore } from '@sessions/conformance/vitest';");
    expect(test).toMatch(/describeStore\(\{\s+name: 'acme'/);
    for (const raw of ['read', 'writePayload', 'dump'])
      expect(test).toContain(`throw notYet('${raw}')`);
    expect(test.split('\n').length).toBeLessThanOrEqual(30);
  });

  it('writes a README with every section a store README has', () => {
    const readme = file('packages/acme/README.md');
    for (const section of [
      'Install',
      'Quick start',
      'Options',
      'Layout in the backend',
      'Expiry',
      'Guarantees',
      'Running the tests',
    ]) {
      expect(readme).toMatch(new RegExp(`^## ${section}$`, 'm'));
    }
  });

  it('writes a changeset releasing the new package', () => {
    expect(file('.changeset/acme-initial.md')).toMatch(/^---\n"@sessions\/acme": minor\n---\n\n\S/);
  });

  it('names classes from hyphenated names', () => {
    const kv = planStore('cloudflare-kv', templates);
    expect(kv.get('packages/cloudflare-kv/src/cloudflare-kv-store.ts')).toContain(
      'export class CloudflareKvStore',
    );
  });

  // The CLI formats what it writes (long names wrap lines); templates start out formatted.
  it('generates, for a typical name, code already in Biome format', () => {
    for (const [path, text] of files) {
      if (/\.(ts|json|md)$/.test(path) && !path.startsWith('.changeset/')) {
        expect(biomeFixed(text, path), path).toBe(text);
      }
    }
  });

  it('fails on a template placeholder it does not know', () => {
    expect(() => render('{{nmae}}', { name: 'a', Name: 'A' })).toThrow(
      'unknown template placeholder {{nmae}}',
    );
  });

  it('reads every template it lists', () => {
    expect(Object.keys(templates).sort()).toEqual(TEMPLATE_FILES.map((t) => t.template).sort());
  });
});

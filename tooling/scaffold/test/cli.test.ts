import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewStoreIo, newStore } from '../src/cli.js';
import type { Formatter } from '../src/format.js';
import { ROOT } from './support.js';

let root: string;
let out: string[];
let err: string[];
let formatted: string[];

const io = (format?: Formatter): NewStoreIo => ({
  root,
  log: (line) => out.push(line),
  error: (line) => err.push(line),
  format:
    format ??
    ((_root, paths) => {
      formatted.push(...paths);
      return { ok: true, output: '' };
    }),
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'scaffold-cli-'));
  mkdirSync(join(root, 'packages', 'core'), { recursive: true });
  mkdirSync(join(root, '.changeset'));
  out = [];
  err = [];
  formatted = [];
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('newStore', () => {
  it('creates the package, formats it and prints the next steps', () => {
    expect(newStore(['acme'], io())).toBe(0);
    expect(err).toEqual([]);
    expect(existsSync(join(root, 'packages/acme/src/acme-store.ts'))).toBe(true);
    expect(existsSync(join(root, '.changeset/acme-initial.md'))).toBe(true);
    expect(formatted).toContain('packages/acme/src/acme-store.ts');
    const printed = out.join('\n');
    expect(printed).toContain('Created @sessions/acme:');
    expect(printed).toContain('pnpm install');
    expect(printed).toContain(
      'pnpm --filter @sessions/acme add --save-peer --save-catalog <driver> [@types/<driver>]',
    );
    expect(printed).toContain('pnpm --filter @sessions/acme... build');
    expect(printed).toContain('AcmeDriver.<primitive>() is not implemented yet');
    expect(printed).toContain('write packages/acme/src/acme-driver.ts primitive by primitive');
  });

  it('never overwrites an existing package (exit code 1, files untouched)', () => {
    expect(newStore(['acme'], io())).toBe(0);
    const store = join(root, 'packages/acme/src/acme-store.ts');
    writeFileSync(store, '// work in progress\n');
    expect(newStore(['acme'], io())).toBe(1);
    expect(err).toEqual([
      'new-store: packages/acme already exists; the scaffold never overwrites a package',
    ]);
    expect(readFileSync(store, 'utf8')).toBe('// work in progress\n');
  });

  it('refuses before writing anything when one target file exists', () => {
    writeFileSync(join(root, '.changeset/acme-initial.md'), 'mine\n');
    expect(newStore(['acme'], io())).toBe(1);
    expect(err).toEqual([
      'new-store: .changeset/acme-initial.md already exists; the scaffold never overwrites a file',
    ]);
    expect(existsSync(join(root, 'packages/acme'))).toBe(false);
  });

  it.each([
    [['Acme'], /must be lowercase letters/],
    [['core'], /"core" is reserved/],
    [[], /^usage: pnpm new-store <name>/],
    [['a', 'b'], /^usage: pnpm new-store <name>/],
  ])('rejects %j with exit code 1 and writes nothing', (args, message) => {
    expect(newStore(args, io())).toBe(1);
    expect(err.join('\n')).toMatch(message);
    expect(out).toEqual([]);
  });

  it('reports a formatting failure without hiding that the package was created', () => {
    const failing: Formatter = () => ({ ok: false, output: 'biome: boom' });
    expect(newStore(['acme'], io(failing))).toBe(0);
    expect(err[0]).toMatch(
      /the files were created, but Biome could not format them; run `pnpm format`/,
    );
    expect(err[1]).toBe('biome: boom');
  });
});

describe('bin/new-store.mjs', () => {
  const bin = join(ROOT, 'tooling/scaffold/bin/new-store.mjs');
  const runBin = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('exits 1 and changes nothing for an existing package', () => {
    const before = readFileSync(join(ROOT, 'packages/redis/package.json'), 'utf8');
    const result = runBin('redis');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('new-store: packages/redis already exists');
    expect(readFileSync(join(ROOT, 'packages/redis/package.json'), 'utf8')).toBe(before);
  });

  it('exits 1 with the usage line when no name is given', () => {
    const result = runBin();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('usage: pnpm new-store <name>');
  });
});

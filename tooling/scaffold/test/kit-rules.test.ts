/**
 * The kit rules on their own: the reference driver (core's MemoryStore) passes them, the source
 * scan tells a sleep from a timer of the store's own, and every allowed timer is a real file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_STORE_TIMERS,
  driverProblems,
  optionsProblems,
  scanSource,
  shellProblems,
  storeClassProblems,
} from '../src/structure/index.js';
import { ROOT } from './support.js';

const scan = (text: string) => scanSource(text, 'example.ts');
const memory = (file: string) => {
  const path = join(ROOT, 'packages/core/src/memory', file);
  return scanSource(readFileSync(path, 'utf8'), path);
};

describe('the reference store, MemoryStore in core', () => {
  // Inside core the kit is a relative import; a store package imports it as @sessions/core/kit.
  const kit = ['../kit/index.js'];

  it('extends the kit, with its primitives in a StoreDriver and its options on the base', () => {
    expect(storeClassProblems(memory('memory-store.ts'), kit)).toEqual([]);
    expect(driverProblems(memory('memory-driver.ts'), kit)).toEqual([]);
    expect(optionsProblems(memory('memory-store.ts'), ['../types.js'])).toEqual([]);
  });

  it('does none of the kit’s work by hand: no removed helper, no timer', () => {
    for (const file of ['memory-store.ts', 'memory-driver.ts', 'backend.ts', 'expiry-heap.ts']) {
      expect(shellProblems(memory(file), `packages/core/src/memory/${file}`), file).toEqual([]);
    }
  });

  it('fails the package rules where it imports the kit by path, proving they read the import', () => {
    expect(storeClassProblems(memory('memory-store.ts'))).toEqual([
      'MemoryStore extends a PruningDriverStore that is not imported from @sessions/core/kit',
    ]);
  });
});

describe('scanSource', () => {
  it('follows renamed imports to what a class extends and implements', () => {
    const facts = scan(
      "import { DriverStore as Base, type StoreDriver } from '@sessions/core/kit';\n" +
        'export class A extends Base<unknown> {}\nclass B implements StoreDriver {}\n',
    );
    expect(facts.classes.map((c) => [c.name, c.exported, c.extends, c.implements])).toEqual([
      ['A', true, [{ name: 'DriverStore', from: '@sessions/core/kit' }], []],
      ['B', false, [], [{ name: 'StoreDriver', from: '@sessions/core/kit' }]],
    ]);
  });

  it('lets a sleep through, and reports every other timer with its line', () => {
    const sleeps = scan(
      "import { setTimeout as sleep } from 'node:timers/promises';\n" +
        'await sleep(10);\nawait new Promise((resolve) => setTimeout(resolve, 25));\n',
    );
    expect(shellProblems(sleeps, 'packages/x/src/a.ts')).toEqual([]);
    const timers = scan(
      'setTimeout(() => controller.abort(), 100);\nglobalThis.setInterval(prune, 60_000);\n' +
        "AbortSignal.timeout(5);\nimport { setInterval as every } from 'node:timers/promises';\n",
    );
    expect(shellProblems(timers, 'packages/x/src/a.ts').map((p) => p.split(' runs')[0])).toEqual([
      "line 4: import from 'node:timers/promises'",
      'line 1: setTimeout(() => controller.abort()...)',
      'line 2: setInterval(prune...)',
      'line 3: AbortSignal.timeout(...)',
    ]);
  });

  it('reports a removed helper imported from core or the kit, not a name of the same spelling elsewhere', () => {
    const facts = scan(
      "import { toSessionError, MemoryStore } from '@sessions/core';\n" +
        "import { encodeData } from './mine.js';\n",
    );
    expect(shellProblems(facts, 'packages/x/src/a.ts')).toEqual([
      "line 1: imports toSessionError; the kit maps errors: throw the client's error, or add classify() to the driver",
    ]);
  });
});

describe('ALLOWED_STORE_TIMERS', () => {
  it('exempts exactly the files it names, each with its reason', () => {
    const timer = scan('setInterval(check, 1000);\n');
    for (const [path, reason] of Object.entries(ALLOWED_STORE_TIMERS)) {
      expect(reason.length, path).toBeGreaterThan(40);
      expect(shellProblems(timer, path)).toEqual([]);
    }
    expect(shellProblems(timer, 'packages/sqlite/src/other.ts')).toHaveLength(1);
  });

  it('names files that exist (an exception outliving its file is dropped)', () => {
    expect(
      Object.keys(ALLOWED_STORE_TIMERS).filter((path) => !existsSync(join(ROOT, path))),
    ).toEqual([]);
  });
});

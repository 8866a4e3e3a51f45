// The suite's own machinery: ids, rules, selection, the clock, polling, and the promise that
// every store a check opens is closed, pass, fail or timeout.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Check,
  checks,
  eventually,
  executeCheck,
  FakeClock,
  memoryRaw,
  RULES,
  type RunOptions,
  randomKey,
  runChecks,
  type StoreFactory,
  selectChecks,
} from '@sessions/conformance';
import { MemoryBackend, MemoryStore, type SessionStore } from '@sessions/core';
import { describe, expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const vitestBin = `${packageDir}node_modules/vitest/vitest.mjs`;

/** A memory factory that records every store it builds. */
function trackingFactory(nativeExpiry: 'none' | 'prompt' | 'lagging' = 'none') {
  const backend = new MemoryBackend();
  const built: SessionStore<unknown>[] = [];
  const factory: StoreFactory = {
    name: 'memory',
    capabilities: { nativeExpiry },
    create: ({ namespace, clock, codec }) => {
      const store = new MemoryStore<unknown>({
        backend,
        namespace,
        clock,
        codec,
        pruneInterval: 0,
      });
      built.push(store);
      return store;
    },
    raw: (_store, { namespace }) => memoryRaw(backend, namespace),
  };
  return { factory, built };
}

async function isClosed(store: SessionStore<unknown>): Promise<boolean> {
  return store.get('k').then(
    () => false,
    (err: { code?: string }) => err.code === 'CLOSED',
  );
}

describe('the checks', () => {
  test('there are at least 60, with unique ids of the form concern/name', () => {
    expect(checks.length).toBeGreaterThanOrEqual(60);
    const ids = checks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of checks)
      expect(check.id).toMatch(new RegExp(`^${check.concern}/[a-z0-9-]+$`));
  });

  test('every rule of the contract is enforced by at least one check', () => {
    const enforced = new Set(checks.map((c) => c.rule));
    expect(Object.keys(RULES).filter((rule) => !enforced.has(rule as keyof typeof RULES))).toEqual(
      [],
    );
  });

  test('native-expiry checks apply only to backends that declare native expiry', () => {
    const ids = (nativeExpiry: 'none' | 'prompt' | 'lagging') =>
      selectChecks(trackingFactory(nativeExpiry).factory).map((c) => c.id);
    expect(ids('none')).not.toContain('physical-removal/native-expiry-on-set');
    expect(ids('none')).toContain('physical-removal/prune-removes-expired');
    expect(ids('lagging')).toContain('physical-removal/native-expiry-on-set');
    expect(ids('lagging')).not.toContain('physical-removal/prompt-native-removal');
    expect(ids('lagging')).not.toContain('physical-removal/prune-removes-expired');
    expect(ids('prompt')).toContain('physical-removal/prompt-native-removal');
  });

  test('a filter narrows by id substring, pattern or predicate', async () => {
    const { factory } = trackingFactory();
    expect((await runChecks(factory, { filter: 'cas-race/' })).map((r) => r.id)).toEqual([
      'cas-race/one-winner-on-version',
      'cas-race/one-winner-on-create',
      'cas-race/concurrent-writes-distinct-versions',
      'cas-race/chained-updates-lose-nothing',
      'cas-race/touch-racing-set-loses-nothing',
    ]);
    expect(selectChecks(factory, { filter: /^lifecycle\/close-twice$/ }).map((c) => c.id)).toEqual([
      'lifecycle/close-twice',
    ]);
    expect(selectChecks(factory, { filter: (c) => c.rule === 'CAS-3' })).toHaveLength(5);
  });
});

describe('one check model for the store and the manager', () => {
  const managerChecks = checks.filter((c) => c.concern === 'manager');

  test('the manager checks are plain checks: concern manager, a MANAGER rule, a timeout', () => {
    expect(managerChecks.map((c) => c.id).sort()).toEqual(
      [
        'manager/absolute-timeout',
        'manager/destroy-all-except',
        'manager/destroy-all-except-then-regenerate',
        'manager/destroy-all-races-regenerate',
        'manager/destroy-then-stale-save',
        'manager/fixation',
        'manager/hashed-at-rest',
        'manager/idle-timeout',
        'manager/list-and-revoke',
        'manager/regenerate',
        'manager/save-race-conflict',
        'manager/slow-request-after-logout',
        'manager/update-no-lost-increments',
      ].sort(),
    );
    for (const check of managerChecks) {
      expect(check.rule).toMatch(/^MANAGER-\d$/);
      expect(check.timeoutMs).toBeGreaterThanOrEqual(60_000);
    }
    expect(checks.filter((c) => c.rule.startsWith('MANAGER-'))).toEqual(managerChecks);
  });

  test('selectChecks includes them once, with the given settings, or leaves them out', () => {
    const { factory } = trackingFactory();
    const ids = (options: RunOptions) =>
      selectChecks(factory, options).filter((c) => c.concern === 'manager');
    expect(ids({})).toHaveLength(13);
    expect(ids({ manager: false })).toEqual([]);
    const small = ids({ manager: { increments: 7, inFlight: 3 } });
    expect(small.find((c) => c.id === 'manager/update-no-lost-increments')?.title).toMatch(
      /^7 increments .* at 3 in flight/,
    );
    expect(ids({ filter: 'manager/fixation' }).map((c) => c.id)).toEqual(['manager/fixation']);
  });

  test('a manager check runs in the check context: its namespace, its clock, its stores closed', async () => {
    const { factory, built } = trackingFactory();
    const [result] = await runChecks(factory, { filter: 'manager/regenerate' });
    expect(result).toMatchObject({ id: 'manager/regenerate', rule: 'MANAGER-2', ok: true });
    expect(built).toHaveLength(1);
    expect(await isClosed(built[0] as SessionStore<unknown>)).toBe(true);
  });

  test('describeStore registers every check exactly once (the manager checks too)', () => {
    // `vitest list` collects memory-store.test.ts (one describeStore call) without running it.
    // (`--json` last: followed by a value it names a file to write.)
    const out = execFileSync(
      process.execPath,
      [vitestBin, 'list', 'test/memory-store.test.ts', '--json'],
      { cwd: packageDir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: '1' } },
    );
    const names = (JSON.parse(out) as Array<{ name: string }>).map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => / manager > \[MANAGER-\d\] /.test(n))).toHaveLength(13);
    expect(names).toHaveLength(selectChecks(trackingFactory().factory).length);
  });
});

describe('running a check', () => {
  test('closes every store it opened, also when the check fails', async () => {
    const { factory, built } = trackingFactory();
    const failing: Check = {
      id: 'self/fails',
      concern: 'self',
      rule: 'CRUD',
      title: 'fails after opening two stores',
      async run(ctx) {
        await ctx.open();
        await ctx.open({ namespace: `${ctx.namespace}_b` });
        throw new Error('deliberate');
      },
    };
    const result = await executeCheck(factory, failing);
    expect(result).toMatchObject({ id: 'self/fails', ok: false, error: { message: 'deliberate' } });
    expect(built).toHaveLength(2);
    for (const store of built) expect(await isClosed(store)).toBe(true);
  });

  test('a check that never finishes fails at its timeout and its stores are closed', async () => {
    const { factory, built } = trackingFactory();
    const hanging: Check = {
      id: 'self/hangs',
      concern: 'self',
      rule: 'CRUD',
      title: 'never resolves',
      timeoutMs: 50,
      async run(ctx) {
        await ctx.open();
        await new Promise(() => undefined);
      },
    };
    const result = await executeCheck(factory, hanging);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/did not finish within 50 ms/);
    expect(await isClosed(built[0] as SessionStore<unknown>)).toBe(true);
  });

  test('each check gets its own namespace and a fresh clock at the real time', async () => {
    const seen: Array<{ namespace: string; now: number }> = [];
    const probe: Check = {
      id: 'self/probe',
      concern: 'self',
      rule: 'CRUD',
      title: 'records its context',
      async run(ctx) {
        seen.push({ namespace: ctx.namespace, now: ctx.clock.now() });
        ctx.clock.advance(3_600_000);
      },
    };
    const { factory } = trackingFactory();
    const before = Date.now();
    await executeCheck(factory, probe);
    await executeCheck(factory, probe);
    expect(seen[0]?.namespace).not.toBe(seen[1]?.namespace);
    for (const { namespace, now } of seen) {
      expect(namespace).toMatch(/^[a-z0-9_]{1,64}$/);
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
    }
  });
});

describe('helpers', () => {
  test('FakeClock starts at the real time and moves only when told', () => {
    const before = Date.now();
    const clock = new FakeClock();
    const start = clock.now();
    expect(start).toBeGreaterThanOrEqual(before);
    expect(clock.advance(1_000)).toBe(start + 1_000);
    expect(clock.now()).toBe(start + 1_000);
    expect(clock.set(42)).toBe(42);
    const { now } = clock;
    expect(now()).toBe(42);
  });

  test('randomKey gives distinct base64url keys', () => {
    const keys = new Set(Array.from({ length: 100 }, randomKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  test('eventually retries until the function passes', async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'done';
      },
      1_000,
      5,
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  test('eventually rethrows the last error after the timeout, and tries once with 0', async () => {
    let calls = 0;
    await expect(
      eventually(() => {
        calls++;
        throw new Error(`attempt ${calls}`);
      }, 0),
    ).rejects.toThrow('attempt 1');
    expect(calls).toBe(1);
    await expect(eventually(() => Promise.reject(new Error('never')), 60, 10)).rejects.toThrow(
      'never',
    );
  });
});

describe('the docs', () => {
  const read = (path: string) =>
    readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');

  const isManager = (id: string) => id.startsWith('MANAGER-') || id.startsWith('manager/');

  test('docs/contract.md states every store rule and names every store check', () => {
    const contract = read('../../../docs/contract.md');
    const rules = Object.keys(RULES).filter((rule) => !isManager(rule));
    expect(rules.filter((rule) => !contract.includes(`\`${rule}\``))).toEqual([]);
    const ids = checks.map((c) => c.id).filter((id) => !isManager(id));
    expect(ids.filter((id) => !contract.includes(`\`${id}\``))).toEqual([]);
  });

  test('the README states every manager rule and names every manager check', () => {
    const readme = read('../README.md');
    const ids = [...Object.keys(RULES), ...checks.map((c) => c.id)].filter(isManager);
    expect(ids.length).toBe(20);
    expect(ids.filter((id) => !readme.includes(`\`${id}\``))).toEqual([]);
  });

  test("the README's wiring example is test/memory-store.test.ts, which runs", () => {
    const example = /```ts\n([\s\S]*?)```/.exec(read('../README.md'))?.[1];
    const code = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.trim().startsWith('//'))
        .join('\n');
    expect(code(example ?? '')).toBe(code(read('./memory-store.test.ts')));
  });
});

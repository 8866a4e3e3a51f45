/**
 * A focused loop for `node --cpu-prof`: the Express adapter's get and set over MemoryStore and
 * SqliteStore (file, WAL), called as express-session calls them, next to the bare store doing
 * the same work. Not a benchmark: it prints the µs per call of each loop as a sanity check,
 * and the profile says where the time goes.
 *
 *   pnpm --filter @sessions/bench-peers profile:express   (writes a .cpuprofile to ./profiles)
 *
 * PROFILE_MS sets the time per loop (default 2000); PROFILE_CASES picks loops, e.g.
 * `memory:get:express,sqlite:set:direct` (default: all of them), so that one profile holds one loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type SessionStore } from '@sessions/core';
import { ExpressSessionStore } from '@sessions/express';
import { SqliteStore } from '@sessions/sqlite';
import { directTarget } from './direct.js';
import { expressTarget } from './frameworks.js';
import { type Target, TargetContender } from './target.js';

const loopMs = Number(process.env.PROFILE_MS ?? 2000);
const cases = process.env.PROFILE_CASES?.split(',');
const wanted = (name: string, op: string, path: string) =>
  !cases || cases.includes(`${name}:${op}:${path}`);

async function loop(label: string, target: Target, op: 'get' | 'set'): Promise<void> {
  const contender = new TargetContender(label, target, 1000);
  await contender.setup();
  const work = contender.work({ op, inFlight: 64 });
  if (!work) return;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < loopMs) done += await work.batch();
  const us = ((performance.now() - started) * 1000) / done;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUs = (cpu.user + cpu.system) / done;
  console.log(
    `${label.padEnd(28)} ${op}  ${us.toFixed(2)} µs/op wall, ${cpuUs.toFixed(2)} µs/op CPU (64 in flight, ${done} ops)`,
  );
}

async function profile(name: string, make: () => SessionStore<Record<string, unknown>>) {
  if (cases && !cases.some((c) => c.startsWith(`${name}:`))) return;
  const bare = make();
  const wrapped = make();
  const adapter = new ExpressSessionStore({ store: wrapped });
  for (const op of ['get', 'set'] as const) {
    if (wanted(name, op, 'direct')) await loop(`${name} direct`, directTarget(bare), op);
    if (wanted(name, op, 'express')) {
      await loop(`${name} via express adapter`, expressTarget(adapter), op);
    }
  }
  await bare.close();
  await wrapped.close();
}

const dir = mkdtempSync(join(tmpdir(), 'sessions-profile-'));
let files = 0;
try {
  await profile('memory', () => new MemoryStore());
  await profile('sqlite', () => new SqliteStore({ database: join(dir, `s${files++}.db`) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

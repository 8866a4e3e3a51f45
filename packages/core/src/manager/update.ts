/**
 * `update(token, fn)`: read-modify-write that never loses an update. Each attempt loads the
 * current version, applies `fn` and saves with compare-and-set; a lost race reloads and
 * applies `fn` again, a bounded number of times with jittered exponential backoff.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../errors.js';
import type { ManagerContext } from './context.js';
import { loadSession } from './load.js';
import { MANAGER_SOURCE } from './options.js';
import type { UpdateFn, UpdateResult } from './results.js';
import { persistSession } from './session-ops.js';

/** The longest single wait between two attempts, in ms. */
const MAX_BACKOFF = 250;

/** Apply `fn` to the session under `token` and save it, retrying on conflict. */
export async function updateSession<D>(
  ctx: ManagerContext,
  token: string | undefined,
  fn: UpdateFn<D>,
): Promise<UpdateResult<D>> {
  for (let attempt = 0; ; attempt++) {
    const session = await loadSession<D>(ctx, token);
    if (session === undefined) return { status: 'destroyed' };
    const next = await fn(session.data, session);
    if (next !== undefined) session.data = next as D;
    const outcome = await persistSession(ctx, session);
    if (outcome === 'saved' || outcome === 'unchanged') return { status: outcome, session };
    if (outcome === 'destroyed') return { status: 'destroyed' };
    if (ctx.events.has('conflict')) {
      ctx.events.emit({
        type: 'conflict',
        handle: session.handle,
        userId: session.userId,
        operation: 'update',
      });
    }
    // A conflict: someone wrote in between. The next attempt's load tells a destroyed session
    // (a miss) from a newer version (reapply fn on top of it).
    if (attempt >= ctx.opts.maxRetries) {
      throw new ConflictError(
        MANAGER_SOURCE,
        `update lost the race ${attempt + 1} times in a row; nothing was written by the last attempt`,
      );
    }
    // Full jitter: a random wait in [0, base × 2^attempt] spreads racing writers apart.
    await sleep(Math.random() * Math.min(MAX_BACKOFF, ctx.opts.retryDelay * 2 ** attempt));
  }
}

/** No lost updates: many concurrent `update(fn)` calls on one session all land. */
import assert from 'node:assert/strict';
import { type Check, defineChecks } from '../check.js';
import { type ManagerCheckOptions, withManager } from './harness.js';

/** The concurrency check; its size comes from the options (default 2,000 at 200 in flight). */
export function concurrencyChecks(options: ManagerCheckOptions): Check[] {
  const increments = options.increments ?? 2000;
  const inFlight = options.inFlight ?? 200;
  const maxRetries = options.updateRetries ?? 200;
  return defineChecks('manager', [
    {
      name: 'update-no-lost-increments',
      rule: 'MANAGER-4',
      // Thousands of contended compare-and-set round trips: minutes' worth on a slow backend.
      timeoutMs: 120_000,
      title: `${increments} increments through update(fn) at ${inFlight} in flight end at exactly ${increments}`,
      run: (context) =>
        withManager<{ n: number }>(context, options, { maxRetries }, async ({ manager }) => {
          const session = manager.create({ data: { n: 0 } });
          await manager.save(session);
          let started = 0;
          let saved = 0;
          const worker = async () => {
            while (started < increments) {
              started++;
              const result = await manager.update(session.token, (data) => {
                data.n += 1;
              });
              assert.equal(result.status, 'saved');
              saved++;
            }
          };
          await Promise.all(Array.from({ length: inFlight }, worker));
          assert.equal(saved, increments);
          assert.equal(
            (await manager.load(session.token))?.data.n,
            increments,
            'an increment was lost',
          );
        }),
    },
  ]);
}

/** No lost updates: many concurrent `update(fn)` calls on one session all land. */
import assert from 'node:assert/strict';
import { type ManagerCheckOptions, withManager } from './harness.js';
import type { ManagerCheck } from './manager-check.js';

/** The concurrency check; its size comes from the options (default 2,000 at 200 in flight). */
export function concurrencyChecks(options: ManagerCheckOptions): ManagerCheck[] {
  const increments = options.increments ?? 2000;
  const inFlight = options.inFlight ?? 200;
  const maxRetries = options.updateRetries ?? 200;
  return [
    {
      id: 'manager/update-no-lost-increments',
      title: `${increments} increments through update(fn) at ${inFlight} in flight end at exactly ${increments}`,
      run: (factory) =>
        withManager<{ n: number }>(factory, options, { maxRetries }, async ({ manager }) => {
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
  ];
}

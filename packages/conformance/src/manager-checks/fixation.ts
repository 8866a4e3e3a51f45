/** Strict mode: a token the server never issued is never adopted, stored, or hashed into a key. */
import assert from 'node:assert/strict';
import { generateSessionToken, hashSessionToken } from '@sessions/core';
import { type Check, defineChecks } from '../check.js';
import { type ManagerCheckOptions, withManager } from './harness.js';

/** The fixation check. */
export function fixationChecks(options: ManagerCheckOptions): Check[] {
  return defineChecks('manager', [
    {
      name: 'fixation',
      rule: 'MANAGER-1',
      title:
        'a presented unknown token yields a fresh one, and nothing is stored under it or its hash',
      run: (context) =>
        withManager<{ step: string }>(context, options, {}, async ({ manager, store, raw }) => {
          const attacker = generateSessionToken();
          const malformed = 'attacker-chosen-session-id';
          assert.equal(
            await manager.load(attacker),
            undefined,
            'an unknown token must load as nothing',
          );
          assert.equal(
            await manager.load(malformed),
            undefined,
            'a malformed token must load as nothing',
          );
          const session = manager.create({ data: { step: 'after-fixation-attempt' } });
          await manager.save(session);
          assert.notEqual(session.token, attacker);
          assert.notEqual(session.token, malformed);
          for (const key of [attacker, hashSessionToken(attacker), hashSessionToken(malformed)]) {
            assert.equal(
              await store.get(key),
              undefined,
              'nothing may be stored under the presented value',
            );
            assert.equal(
              await raw.read(key),
              undefined,
              'the backend must hold nothing under the presented value',
            );
          }
          const dump = await raw.dump();
          assert.ok(
            dump.includes('after-fixation-attempt'),
            'the raw dump must show the real session',
          );
          assert.ok(
            !dump.includes(attacker),
            'the presented token must appear nowhere in the backend',
          );
          assert.ok(
            !dump.includes(hashSessionToken(attacker)),
            "nor must the presented token's hash",
          );
          assert.deepEqual((await manager.load(session.token))?.data, {
            step: 'after-fixation-attempt',
          });
        }),
    },
  ]);
}

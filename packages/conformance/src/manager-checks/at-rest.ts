/** Hashed at rest: a copy of the backend holds no usable token. */
import assert from 'node:assert/strict';
import { hashSessionToken } from '@sessions/core';
import { type Check, defineChecks } from '../check.js';
import { type ManagerCheckOptions, MINUTE, withManager } from './harness.js';

/** The hashed-at-rest check. */
export function atRestChecks(options: ManagerCheckOptions): Check[] {
  return defineChecks('manager', [
    {
      name: 'hashed-at-rest',
      rule: 'MANAGER-7',
      title: 'scanning the raw backend after every kind of write finds no token anywhere',
      run: (context) =>
        withManager<{ marker: string; n?: number }>(context, options, {}, async (h) => {
          const { manager, raw, clock } = h;
          const tokens: string[] = [];
          const scan = async (marker: string) => {
            const dump = await raw.dump();
            assert.ok(dump.includes(marker), 'the raw dump must show the stored session');
            for (const token of tokens)
              assert.ok(!dump.includes(token), 'a session token is stored in the backend');
          };
          const first = manager.create({
            data: { marker: 'rest-marker-one' },
            userId: 'rest-user',
            meta: { d: 'x' },
          });
          tokens.push(first.token);
          await manager.save(first);
          await scan('rest-marker-one');
          assert.ok(
            await raw.read(hashSessionToken(first.token)),
            'the record must be stored under the hash',
          );
          const second = await manager.regenerate(first, { userId: 'rest-user' });
          assert.ok(second);
          tokens.push(second.token);
          await manager.update(second.token, (data) => ({ ...data, n: 1 }));
          clock.advance(2 * MINUTE);
          const touched = await manager.load(second.token);
          assert.ok(touched);
          await manager.save(touched);
          await scan('rest-marker-one');
          const third = manager.create({
            data: { marker: 'rest-marker-two' },
            userId: 'rest-user',
          });
          tokens.push(third.token);
          await manager.save(third);
          await scan('rest-marker-two');
        }),
    },
  ]);
}

/** INPUT-2: a bad userId is rejected with INVALID_KEY by set, listByUser and deleteByUser. */
import assert from 'node:assert/strict';
import { type CheckSpec, defineChecks } from '../check.js';
import { randomKey } from '../util.js';
import { expectCode, expectNothingStored, expectNotInDump, inAMinute, marker } from './support.js';

interface BadUserId {
  name: string;
  label: string;
  userId: unknown;
}

const BAD_USER_IDS: BadUserId[] = [
  { name: 'number', label: 'a number', userId: 7 },
  { name: 'object', label: 'an object', userId: { $gt: '' } },
  { name: 'null', label: 'null', userId: null },
  { name: 'empty', label: 'the empty string', userId: '' },
  { name: 'newline', label: 'a string with a newline', userId: 'alice\nbob' },
  { name: 'nul-byte', label: 'a string with a NUL byte', userId: 'alice\u0000' },
  { name: 'c1-control', label: 'a string with a C1 control character', userId: 'alice\u0085' },
  { name: 'delete-char', label: 'a string with DEL (0x7f)', userId: 'alice\u007f' },
  { name: 'c1-first', label: 'a string with 0x80, the first C1 control', userId: 'alice\u0080' },
  { name: 'c1-last', label: 'a string with 0x9f, the last C1 control', userId: 'alice\u009f' },
  { name: 'too-long', label: 'a 257-character string', userId: 'u'.repeat(257) },
];

function badUserIdCheck({ name, label, userId }: BadUserId): CheckSpec {
  const u = userId as string;
  return {
    name: `user-id-${name}`,
    rule: 'INPUT-2',
    title: `a userId that is ${label} is rejected with INVALID_KEY by set, listByUser and deleteByUser`,
    async run(ctx) {
      const { store, raw } = await ctx.open();
      const key = randomKey();
      const mark = marker();
      await expectCode('INVALID_KEY', 'set with this userId', () =>
        store.set(key, { data: { mark }, expiresAt: inAMinute(ctx), userId: u }),
      );
      await expectNothingStored(raw, key, 'a set with a bad userId');
      await expectNotInDump(raw, mark, 'data of a set with a bad userId');
      await expectCode('INVALID_KEY', 'listByUser', () => store.listByUser(u));
      await expectCode('INVALID_KEY', 'deleteByUser', () => store.deleteByUser(u));
    },
  };
}

/** The INPUT-2 checks: one per kind of bad userId, and the accepted edges. */
export const badUserIdChecks = defineChecks('bad-user-ids', [
  ...BAD_USER_IDS.map(badUserIdCheck),
  {
    name: 'user-id-edges-accepted',
    rule: 'INPUT-2',
    title: 'a 256-character userId and a one-character userId are accepted',
    async run(ctx) {
      const { store } = await ctx.open();
      for (const userId of ['u'.repeat(256), 'x']) {
        const key = randomKey();
        await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId });
        assert.equal((await store.get(key))?.userId, userId);
      }
    },
  },
  {
    name: 'user-id-any-printable-characters',
    rule: 'INPUT-2',
    title:
      'a userId may hold any printable characters (separators, braces, quotes, non-ASCII): it round-trips and indexes',
    async run(ctx) {
      const { store } = await ctx.open();
      // Characters a store might use as separators, key syntax or quoting in its backend.
      const userIds = ['a:b:c', '{tag}:x', 'sp ace', 'q"u\'o`te\\', '%_*?[]$.', 'é-ß-雪-🙂', ':'];
      for (const userId of userIds) {
        const key = randomKey();
        const first = await store.set(key, { data: { userId }, expiresAt: inAMinute(ctx), userId });
        assert.equal((await store.get(key))?.userId, userId, `get returns the userId ${userId}`);
        assert.deepEqual(
          (await store.listByUser(userId)).map((s) => s.key),
          [key],
          `listByUser finds the session of ${userId}`,
        );
        assert.equal(await store.touch(key, inAMinute(ctx) + 1000), true);
        assert.equal((await store.get(key))?.userId, userId, `touch keeps the userId ${userId}`);
        await store.set(key, { data: {}, expiresAt: inAMinute(ctx) }, { ifVersion: first.version });
        assert.deepEqual(
          await store.listByUser(userId),
          [],
          `a write without ${userId} leaves the index`,
        );
        await store.set(key, { data: {}, expiresAt: inAMinute(ctx), userId });
        assert.equal(
          await store.deleteByUser(userId),
          1,
          `deleteByUser removes the session of ${userId}`,
        );
        assert.equal(await store.get(key), undefined);
      }
    },
  },
]);

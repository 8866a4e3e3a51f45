import { Redis } from 'ioredis';
import { RedisStore } from './src/index.js';
import { SET_SCRIPT } from './src/scripts.js';
import { makePayload } from '@sessions/bench';
const url = 'redis://127.0.0.1:27002';
const c = new Redis(url);
const store = new RedisStore({ url, namespace: 'l2' });
const payload = makePayload(1024);
const small = SET_SCRIPT.source.replace(
  "local e, v, owner = string.match(redis.call('GETRANGE', KEYS[1], 0, 1087), '^(%-?%d+):(%d+):([^\\n]*)\\n')",
  "local head = redis.call('GETRANGE', KEYS[1], 0, 63)\nif #head == 64 and not string.find(head, '\\n', 1, true) then head = redis.call('GETRANGE', KEYS[1], 0, 1087) end\nlocal e, v, owner = string.match(head, '^(%-?%d+):(%d+):([^\\n]*)\\n')");
if (small === SET_SCRIPT.source) throw new Error('no replace');
const smallSha = await c.script('LOAD', small) as string;
const res: Record<string, number[]> = {};
for (let round = 0; round < 5; round++) {
  for (const variant of ['ours', 'small']) {
    if (variant === 'small') (SET_SCRIPT as { sha: string }).sha = smallSha; else (SET_SCRIPT as { sha: string }).sha = (await c.script('LOAD', SET_SCRIPT.source)) as string;
    await c.config('RESETSTAT');
    let i = 0;
    await Promise.all(Array.from({ length: 16 }, async () => { while (i < 20000) await store.set(`k${i++ % 1000}`, { data: payload, expiresAt: Date.now() + 3600_000 }); }));
    (res[variant] ??= []).push(Number(/cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(await c.info('commandstats'))![1]));
  }
}
for (const [n, a] of Object.entries(res)) console.log(n.padEnd(12), a.sort((x, y) => x - y)[2]);
c.disconnect(); await store.close();

import { Redis } from 'ioredis';
import { SET_SCRIPT } from './src/scripts.js';
const c = new Redis('redis://127.0.0.1:27002');
const payload = 'x'.repeat(1024);
const variants: Record<string, string> = {
  empty: 'return 1',
  ours: SET_SCRIPT.source,
  hashNoTime: `local cur = redis.call('HMGET', KEYS[1], 'e', 'v', 'u')
redis.call('HSET', KEYS[1], 'd', ARGV[4], 'e', ARGV[5], 'v', 1)
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
return 1`,
  stringGetSet: `local cur = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[4], 'PXAT', ARGV[5])
return 1`,
  stringSetOnly: `redis.call('SET', KEYS[1], ARGV[4], 'PXAT', ARGV[5])
return 1`,
};
for (let round = 0; round < 3; round++) for (const [name, src] of Object.entries(variants)) {
  const sha = await c.script('LOAD', src) as string;
  await c.config('RESETSTAT');
  const exp = String(Date.now() + 3600_000);
  let i = 0;
  await Promise.all(Array.from({ length: 32 }, async () => { while (i < 20000) { const k = `{lt:0}:s:k${name}${i++ % 1000}`; await c.evalsha(sha, 1, k, '{lt:0}', String(Date.now()), '', payload, exp, '', 'k'); } }));
  const s = await c.info('commandstats');
  console.log(name.padEnd(14), /cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(s)![1]);
}
await c.config('RESETSTAT');
let i = 0; const exp = Date.now() + 3600_000;
await Promise.all(Array.from({ length: 32 }, async () => { while (i < 20000) await c.set(`raw${i++ % 1000}`, payload, 'PXAT', exp); }));
console.log('raw set', /cmdstat_set:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(await c.info('commandstats'))![1]);
c.disconnect();

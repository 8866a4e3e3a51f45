import { Redis } from 'ioredis';
import { SET_SCRIPT } from './src/scripts.js';
const c = new Redis('redis://127.0.0.1:27002');
const payload = 'x'.repeat(1024);
const variants: Record<string, string> = {
  empty: 'return 1',
  setOnly: `redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[8]) return 1`,
  getrangeSet: `local h = redis.call('GETRANGE', KEYS[1], 0, 1087) redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[8]) return 1`,
  ours: SET_SCRIPT.source,
};
const res: Record<string, number[]> = {};
for (let round = 0; round < 5; round++) for (const [name, src] of Object.entries(variants)) {
  const sha = await c.script('LOAD', src) as string;
  await c.config('RESETSTAT');
  let i = 0;
  await Promise.all(Array.from({ length: 16 }, async () => { while (i < 20000) { const k = `{lt:0}:s:k${i++ % 1000}`; await c.evalsha(sha, 1, k, '{lt:0}', String(Date.now()), '', payload, '00001795683744797', '', 'k', '3600000'); } }));
  const s = await c.info('commandstats');
  (res[name] ??= []).push(Number(/cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(s)![1]));
}
for (let round = 0; round < 5; round++) {
  await c.config('RESETSTAT');
  let i = 0; const exp = Date.now() + 3600_000;
  await Promise.all(Array.from({ length: 16 }, async () => { while (i < 20000) await c.set(`raw${i++ % 1000}`, payload, 'PXAT', exp); }));
  (res.rawSet ??= []).push(Number(/cmdstat_set:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(await c.info('commandstats'))![1]));
}
for (const [n, a] of Object.entries(res)) console.log(n.padEnd(12), a.sort((x, y) => x - y)[2]);
c.disconnect();

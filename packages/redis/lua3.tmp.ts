import { Redis } from 'ioredis';
import { formatEnvelope } from './src/envelope.js';
const c = new Redis('redis://127.0.0.1:27002');
const data = JSON.stringify({ filler: 'y'.repeat(1000) });
const H = "'^(%-?%d+):(%d+):([^\\n]*)\\n'";
const variants: Record<string, string> = {
  empty: `return 1`,
  set: `redis.call('SET', KEYS[1], ARGV[9], 'PX', ARGV[8]) return 1`,
  probeSet: `local head = redis.call('GETRANGE', KEYS[1], 0, 63) redis.call('SET', KEYS[1], ARGV[9], 'PX', ARGV[8]) return 1`,
  probeMatchSet: `local head = redis.call('GETRANGE', KEYS[1], 0, 63) local e, v, o = string.match(head, ${H}) redis.call('SET', KEYS[1], ARGV[9], 'PX', ARGV[8]) return 1`,
  probeMatchConcatSet: `local head = redis.call('GETRANGE', KEYS[1], 0, 63) local e, v, o = string.match(head, ${H}) local version = tonumber(v) + 1 redis.call('SET', KEYS[1], ARGV[5] .. ':' .. version .. ':' .. ARGV[6] .. '\\n' .. ARGV[4], 'PX', ARGV[8]) return 1`,
  getSet: `local head = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[1], ARGV[9], 'PX', ARGV[8]) return 1`,
};
const full = formatEnvelope({ expiresAt: Date.now() + 3600_000, version: 1, userId: undefined, data });
const res: Record<string, number[]> = {};
for (let round = 0; round < 5; round++) for (const [name, src] of Object.entries(variants)) {
  const sha = await c.script('LOAD', src) as string;
  await c.config('RESETSTAT');
  let i = 0;
  await Promise.all(Array.from({ length: 16 }, async () => { while (i < 20000) { const k = `{lt:0}:s:k${i++ % 1000}`; await c.evalsha(sha, 1, k, '{lt:0}', String(Date.now()), '', data, '00001795683744797', '', 'k', '3600000', full); } }));
  (res[name] ??= []).push(Number(/cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(await c.info('commandstats'))![1]));
}
for (const [n, a] of Object.entries(res)) console.log(n.padEnd(20), a.sort((x, y) => x - y)[2]);
c.disconnect();

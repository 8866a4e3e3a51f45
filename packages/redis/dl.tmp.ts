import { withDeadline, UnavailableError } from '@sessions/core';
function lean<T>(p: Promise<T>, ms: number, source: string, op: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new UnavailableError(source, `${op} did not complete within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}
const N = 300000;
async function run(name: string, f: (p: Promise<number>) => Promise<number>) {
  const c0 = process.cpuUsage();
  let i = 0;
  await Promise.all(Array.from({ length: 64 }, async () => { while (i++ < N) await f(new Promise((r) => setImmediate(() => r(1)))); }));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}
const res: Record<string, number[]> = {};
for (let r = 0; r < 7; r++) {
  for (const [n, f] of Object.entries({ none: (p: Promise<number>) => p, core: (p: Promise<number>) => withDeadline(p, 2000, 's', 'get'), lean: (p: Promise<number>) => lean(p, 2000, 's', 'get'),
     coreCatch: (p: Promise<number>) => withDeadline(p, 2000, 's', 'get').catch((e) => { throw e; }) })) (res[n] ??= []).push(await run(n, f));
}
for (const [n, a] of Object.entries(res)) console.log(n.padEnd(10), a.sort((x, y) => x - y)[3]!.toFixed(2), 'µs cpu/op');

import { withDeadline, UnavailableError } from '@sessions/core';
function lean<T>(p: Promise<T>, ms: number, source: string, op: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new UnavailableError(source, `${op} did not complete within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}
const N = 500000;
async function run(name: string, f: (p: Promise<number>) => Promise<number>) {
  // 64 in flight with real async boundaries
  const t0 = performance.now();
  let i = 0;
  await Promise.all(Array.from({ length: 64 }, async () => { while (i++ < N) await f(new Promise((r) => setImmediate(() => r(1)))); }));
  console.log(name.padEnd(10), ((performance.now() - t0) * 1000 / N).toFixed(2), 'µs/op');
}
for (let r = 0; r < 3; r++) {
  await run('none', (p) => p);
  await run('core', (p) => withDeadline(p, 2000, 's', 'get'));
  await run('lean', (p) => lean(p, 2000, 's', 'get'));
}

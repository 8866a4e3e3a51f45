import { monitorEventLoopDelay } from 'node:perf_hooks';
const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
await new Promise((r) => setTimeout(r, 5000));
h.disable();
console.log('idle 5 s: loop delay max', Math.round(h.max / 1e6), 'p99', Math.round(h.percentile(99) / 1e6));

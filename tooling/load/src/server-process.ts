/**
 * The server under load, in a process of its own (forked with `--expose-gc`) so that the
 * clients' work never shows in its event-loop delay or memory. Starts the app module, then
 * answers the harness: begin/steady (delay measurement), sample (memory after a full GC),
 * delay (the figures), stop.
 */

import type { AppModule } from './apps/types.js';
import { DelayMonitor } from './delay-monitor.js';
import type { ServerConfig, ServerReply, ServerRequest } from './server-messages.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('[@sessions/load] the server process needs --expose-gc');
const send = (reply: ServerReply) => process.send?.(reply);

const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
const delay = new DelayMonitor();
let began = Date.now();

try {
  const app = ((await import(config.appModule)) as AppModule).start;
  const running = await app(config.store, config.secret);
  process.on('message', async (request: ServerRequest) => {
    switch (request.type) {
      case 'begin':
        began = Date.now();
        delay.start();
        return send({ type: 'begin' });
      case 'steady':
        delay.steadyFromNow();
        return send({ type: 'steady' });
      case 'sample': {
        // The GC's pause is the harness's, not the app's: out of the delay figures.
        delay.pause();
        gc();
        gc();
        const { rss, heapUsed } = process.memoryUsage();
        delay.resume();
        const { user, system } = process.cpuUsage();
        const cpuMs = (user + system) / 1000;
        return send({ type: 'sample', sample: { at: Date.now() - began, rss, heapUsed, cpuMs } });
      }
      case 'delay':
        return send({ type: 'delay', ...delay.figures() });
      case 'stop':
        delay.pause();
        await running.close();
        send({ type: 'stop' });
        process.disconnect();
        return;
    }
  });
  send({ type: 'ready', url: running.url });
} catch (err) {
  send({
    type: 'failed',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  process.exitCode = 1;
  process.disconnect();
}

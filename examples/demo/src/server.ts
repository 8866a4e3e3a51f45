// `pnpm start`: the demo on http://localhost:3000 (PORT, HOST and SESSION_STORE change that).
import { serveDemo } from './serve.js';
import { tuningFromEnv } from './store.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  throw new Error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
}

const demo = await serveDemo({
  port,
  hostname: process.env.HOST || 'localhost',
  store: process.env.SESSION_STORE,
  secureCookie: process.env.COOKIE_SECURE !== 'false',
  tuning: tuningFromEnv(),
});
console.log(`sessions demo on ${demo.url} (sessions in ${demo.storeDescription})`);

// Ctrl-C / a process manager: finish, close the store (flushes SQLite, closes connections).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    demo.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}

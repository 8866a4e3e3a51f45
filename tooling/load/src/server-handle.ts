/** The harness's side of the server process: fork it, ask it things, stop it. */
import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServerConfig, ServerReply, ServerRequest } from './server-messages.js';

const SERVER = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** How long the server gets to start (tsx compiles the app on first import) or answer. */
const ANSWER_TIMEOUT_MS = 60_000;

type Reply<T extends ServerReply['type']> = Extract<ServerReply, { type: T }>;

/**
 * A running server process.
 *
 * @example
 * ```ts
 * const server = await ServerHandle.start({ appModule, store: 'sqlite:/tmp/s.db', secret });
 * const { sample } = await server.ask({ type: 'sample' });
 * await server.stop();
 * ```
 */
export class ServerHandle {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<string, (reply: ServerReply) => void>();
  #exit: Promise<void>;
  #failure: Error | undefined;
  /** Where the app answers. */
  url = '';

  private constructor(config: ServerConfig) {
    this.#child = fork(SERVER, [JSON.stringify(config)], {
      execArgv: ['--expose-gc', '--import', TSX],
      // The app's own output (warnings, a crash's stack) goes to the console as it is.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (reply: ServerReply) => {
      if (reply.type === 'failed')
        this.#fail(new Error(`[@sessions/load] the server failed: ${reply.message}`));
      this.#waiting.get(reply.type)?.(reply);
      this.#waiting.delete(reply.type);
    });
    this.#exit = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.once('exit', (code, signal) =>
      this.#fail(new Error(`[@sessions/load] the server process exited (${signal ?? code})`)),
    );
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const resolve of this.#waiting.values())
      resolve({ type: 'failed', message: error.message });
    this.#waiting.clear();
  }

  #reply<T extends ServerReply['type']>(type: T): Promise<Reply<T>> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      const timer = setTimeout(
        () => reject(new Error(`[@sessions/load] the server did not answer "${type}"`)),
        ANSWER_TIMEOUT_MS,
      );
      this.#waiting.set(type, (reply) => {
        clearTimeout(timer);
        if (reply.type === type) resolve(reply as Reply<T>);
        else
          reject(this.#failure ?? new Error(reply.type === 'failed' ? reply.message : reply.type));
      });
    });
  }

  /** Fork the server process and wait until the app listens. */
  static async start(config: ServerConfig): Promise<ServerHandle> {
    const handle = new ServerHandle(config);
    try {
      handle.url = (await handle.#reply('ready')).url;
    } catch (err) {
      handle.#child.kill();
      throw err;
    }
    return handle;
  }

  /** Send a request and wait for its answer. */
  ask<T extends ServerRequest['type']>(request: { type: T }): Promise<Reply<T>> {
    const reply = this.#reply(request.type);
    this.#child.send(request);
    return reply;
  }

  /** Close the app (and its store) and wait for the process to end; kill it if it will not. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      try {
        await this.ask({ type: 'stop' });
      } catch {
        this.#child.kill('SIGKILL');
      }
    }
    await this.#exit;
  }
}

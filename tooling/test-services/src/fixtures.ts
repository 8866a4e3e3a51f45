/**
 * Child processes for the cross-process tests of any store: forked plain Node scripts that talk
 * by IPC. Each package keeps its scripts in `test/fixtures/`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A message a fixture script sends; `type` says what happened. */
export interface FixtureMessage {
  type: string;
  [field: string]: unknown;
}

/** A forked fixture and a way to wait for its messages. */
export interface Fixture {
  child: ChildProcess;
  /** Resolve with the next message of this `type` (rejects if the process exits first). */
  next(type: string): Promise<FixtureMessage>;
  /** Everything the process wrote to stderr so far, for failure messages. */
  stderr(): string;
}

/**
 * Fork the script `name` of the folder `fixtures` with `args`, in plain Node (no test-runner
 * loaders): the script imports the built package like an application would.
 */
export function forkFixture(fixtures: URL, name: string, args: string[]): Fixture {
  const script = fileURLToPath(new URL(name, fixtures));
  const child = fork(script, args, { execArgv: [], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let errText = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errText += chunk.toString();
  });
  const inbox: FixtureMessage[] = [];
  const waiting: Array<{ type: string; resolve: (m: FixtureMessage) => void }> = [];
  child.on('message', (message: FixtureMessage) => {
    const i = waiting.findIndex((w) => w.type === message.type);
    if (i >= 0) waiting.splice(i, 1)[0]?.resolve(message);
    else inbox.push(message);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      reject(new Error(`fixture ${name} exited (${code ?? signal}) before replying: ${errText}`));
    });
  });
  exited.catch(() => {});
  return {
    child,
    stderr: () => errText,
    next(type) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as FixtureMessage);
      return Promise.race([
        new Promise<FixtureMessage>((resolve) => waiting.push({ type, resolve })),
        exited,
      ]);
    },
  };
}

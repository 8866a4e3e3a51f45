/** The messages between the harness and its server process (over the fork's IPC channel). */
import type { DelayFigures } from './delay-monitor.js';

/** What the harness asks. */
export type ServerRequest =
  | { type: 'begin' }
  | { type: 'steady' }
  | { type: 'sample' }
  | { type: 'delay' }
  | { type: 'stop' };

/** Memory after a forced full GC. */
export interface MemorySample {
  /** Milliseconds since the harness's `begin`. */
  at: number;
  rss: number;
  heapUsed: number;
  /** CPU time (user + system) the server process has used so far, milliseconds. */
  cpuMs: number;
}

/** What the server answers (`ready` unasked, once it listens). */
export type ServerReply =
  | { type: 'ready'; url: string }
  | { type: 'begin' }
  | { type: 'steady' }
  | { type: 'sample'; sample: MemorySample }
  | { type: 'delay'; whole: DelayFigures; steady: DelayFigures | undefined }
  | { type: 'stop' }
  | { type: 'failed'; message: string };

/** What the harness hands the server process (as its one argument, JSON). */
export interface ServerConfig {
  /** File URL of the app module (see `AppModule`). */
  appModule: string;
  /** `sqlite:<file>` or `redis://…`. */
  store: string;
  secret: string;
}

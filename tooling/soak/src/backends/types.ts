/**
 * One backend of the soak: how the host starts its server, and how a worker opens the store
 * and an independent raw view of what the backend holds.
 */
import type { SessionStore } from '@sessions/core';

/** A backend started by the host; `connection` is handed to every worker. */
export interface Deployment {
  connection: Record<string, string>;
  /** Stop the server and remove its files. */
  stop(): Promise<void>;
}

/** Raw access to the backend, never through the store under test. */
export interface RawProbe {
  /** The stored payload of each key that the backend holds (expired or not), as text. */
  read(keys: string[]): Promise<Map<string, string>>;
  /** What the backend holds for the namespace: rows, keys, bytes. Figures, by name. */
  storage(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** A backend the soak can run. */
export interface SoakBackend {
  name: string;
  /** App processes sharing the backend (1 for memory: it lives in one process). */
  processes: number;
  /** Why it cannot run on this machine, or undefined when it can. */
  unavailable(): string | undefined;
  /** Host side: start the server (or make the file). */
  deploy(): Promise<Deployment>;
  /** Worker side: the raw probe, opened before the store so it is not counted as the store's. */
  openRaw(connection: Record<string, string>, namespace: string): Promise<RawProbe>;
  /** Worker side: the store under test. */
  openStore(connection: Record<string, string>, namespace: string): Promise<SessionStore>;
}

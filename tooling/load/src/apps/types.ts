/** What every app under load is: a module the server process imports and starts. */

/** A running app. */
export interface RunningApp {
  /** Where it answers, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Stop accepting requests, then close the store. */
  close(): Promise<void>;
}

/**
 * The module shape of an app under load (`src/apps/*.ts`, or a test's broken variant): the
 * server process imports it and calls `start`.
 */
export interface AppModule {
  /**
   * Serve the app on a free loopback port, its sessions in the store named by `store`
   * (`sqlite:<file>` or `redis://…`, as the demo's `SESSION_STORE`), cookies signed by `secret`.
   */
  start(store: string, secret: string): Promise<RunningApp>;
}

/** What a manager check is. */
import type { StoreFactory } from '../types.js';

/**
 * One session-manager check: runs `createSessionManager` over a store the factory builds and
 * throws (an assertion) when a guarantee of the manager does not hold on that store.
 */
export interface ManagerCheck {
  /** Stable id, `manager/<name>`. */
  id: string;
  /** What passing means, as a sentence. */
  title: string;
  /** Resolve if the guarantee holds on this backend; throw if not. */
  run(factory: StoreFactory): Promise<void>;
}

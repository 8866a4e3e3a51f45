/** What every backend's checks get from {@link runDoctor}. */
import type { CheckResult } from '../types.js';
import { fail } from './result.js';

/** The settings shared by every backend's checks. */
export interface StoreCheckContext {
  /** This machine's clock. */
  readonly clock: () => number;
  /** The bound of one operation, in ms. */
  readonly timeout: number;
  /** Options every store takes: the namespace, the operation timeout, the clock. */
  readonly storeOptions: {
    namespace: string;
    operationTimeout: number;
    clock: () => number;
  };
  /** The result for a server that cannot be reached at all. */
  unreachable(reason: string): CheckResult;
}

/** The context for `namespace`, `timeout` and `clock`; `where` names the server in messages. */
export function storeContext(
  where: string,
  namespace: string,
  timeout: number,
  clock: () => number,
): StoreCheckContext {
  return {
    clock,
    timeout,
    storeOptions: { namespace, operationTimeout: timeout, clock },
    unreachable: (reason) =>
      fail(
        'store.connect',
        `cannot reach ${where}: ${reason}`,
        'check the URL, the credentials and that the server is up and reachable from here',
      ),
  };
}

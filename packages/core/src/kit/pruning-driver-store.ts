/**
 * `PruningDriverStore`: a {@link DriverStore} with `prune()` and the background prune, for a
 * backend that does not expire records by itself.
 */
import type { PruningStoreOptions, SessionData } from '../types.js';
import type { StoreDriver } from './driver.js';
import { DriverStore } from './driver-store.js';
import type { DriverStoreSetup } from './options.js';

/**
 * A {@link DriverStore} whose backend does not expire records by itself: it has `prune()`, and
 * runs it in the background every `pruneInterval`.
 *
 * @typeParam D - the session data type.
 * @typeParam Driver - the backend's driver, with its `prune` primitive.
 */
export class PruningDriverStore<
  D = SessionData,
  Driver extends StoreDriver & Required<Pick<StoreDriver, 'prune'>> = StoreDriver &
    Required<Pick<StoreDriver, 'prune'>>,
> extends DriverStore<D, Driver> {
  /**
   * As {@link DriverStore}'s constructor, with `pruneInterval` resolved too.
   *
   * @throws `INVALID_KEY` ({@link @sessions/core!InvalidKeyError | InvalidKeyError}): `namespace`
   * is malformed.
   * @throws `TypeError` when an option has the wrong type or is out of range; the message names the
   * option.
   */
  constructor(options: PruningStoreOptions<D> | undefined, setup: DriverStoreSetup<D, Driver>) {
    super(options, setup, true);
  }

  /**
   * Physically remove this namespace's expired records now; resolves to how many went.
   *
   * @throws `CLOSED` ({@link @sessions/core!ClosedError | ClosedError}): the store was closed.
   * @throws `UNAVAILABLE` ({@link @sessions/core!UnavailableError | UnavailableError}): the backend
   * failed or the operation timed out; the driver's error is the `cause`.
   */
  prune(): Promise<number> {
    return this.runPrune();
  }
}

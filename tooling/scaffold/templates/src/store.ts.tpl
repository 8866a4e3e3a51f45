/**
 * The {{name}} session store: the kit's `PruningDriverStore` over {@link {{Name}}Driver}. The
 * kit owns the shell (validation, the closed guard, the codec and the size limit, visibility by
 * the application clock, error mapping, the deadline, the options and the background prune);
 * this class only says how to build the driver. If {{name}} expires records by itself, extend
 * `DriverStore` instead, drop the driver's `prune` and `pruneInterval`, and declare the
 * native expiry in test/conformance.test.ts.
 */
import type { SessionData } from '@sessions/core';
import { PruningDriverStore } from '@sessions/core/kit';
import { {{Name}}Driver } from './{{name}}-driver.js';
import { type {{Name}}StoreOptions, SOURCE } from './options.js';

/**
 * A `SessionStore` on {{name}}.
 *
 * @example
 * ```ts
 * import { {{Name}}Store } from '@sessions/{{name}}';
 * const store = new {{Name}}Store({ namespace: 'shop' });
 * await store.set('k1', { data: { cart: [] }, expiresAt: Date.now() + 60_000 });
 * await store.close();
 * ```
 */
export class {{Name}}Store<D = SessionData> extends PruningDriverStore<D, {{Name}}Driver> {
  constructor(options: {{Name}}StoreOptions<D> = {}) {
    super(options, {
      source: SOURCE,
      // Built once the shared options are resolved and validated.
      driver: ({ namespace }) => new {{Name}}Driver(options.client, namespace),
    });
  }
}

import type { PruningStoreOptions, SessionData } from '@sessions/core';
import type { {{Name}}Client } from './{{name}}-driver.js';

/** The package name every error of this store carries as `source`. */
export const SOURCE = '@sessions/{{name}}';

/** Options of {@link {{Name}}Store}: the kit's shared options, and the client. */
export interface {{Name}}StoreOptions<D = SessionData> extends PruningStoreOptions<D> {
  /** The server's rows; a store without one keeps its own. */
  client?: {{Name}}Client;
}

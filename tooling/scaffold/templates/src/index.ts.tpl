/**
 * `@sessions/{{name}}`: a {{name}} session store that implements the `@sessions/core` contract.
 *
 * @packageDocumentation
 */
export type { {{Name}}StoreOptions } from './options.js';
export { {{Name}}Store } from './{{name}}-store.js';

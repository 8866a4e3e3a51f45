/**
 * `@sessions/{{name}}`: a session store on {{name}} that implements the `@sessions/core` contract.
 *
 * @packageDocumentation
 */

export { {{Name}}Store } from './{{name}}-store.js';
export type { {{Name}}StoreOptions } from './options.js';

/**
 * `@sessions/{{name}}`: a {{name}} session store that implements the `@sessions/core` contract.
 *
 * @packageDocumentation
 */

{{indexExports}}

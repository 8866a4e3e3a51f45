# @sessions/{{name}}

A session store on {{name}} for the `@sessions` family: the `SessionStore` contract of
`@sessions/core`, checked by the same conformance suite as every built-in store.

> Scaffolded by `pnpm new-store {{name}}`. Replace every paragraph below that starts with
> "Describe" before the first release; the structure check only verifies the headings.

## Install

```sh
npm install @sessions/{{name}} @sessions/core
```

Describe the driver to install alongside it (it is a peer dependency: you bring your own
client and version).

## Quick start

```ts
import { {{Name}}Store } from '@sessions/{{name}}';

const store = new {{Name}}Store({ namespace: 'shop' });
await store.set('session-key', { data: { cart: [] }, expiresAt: Date.now() + 30 * 60_000 });
const record = await store.get('session-key');
await store.close();
```

## Options

| Option              | Default           | Meaning                                                                  |
| ------------------- | ----------------- | ------------------------------------------------------------------------ |
| `client`            |                   | Describe the client the store talks through.                             |
| `namespace`         | `"sessions"`      | Isolates this store's records from other stores on the same backend.     |
| `clock`             | `Date.now`        | The application clock that decides whether a record is live.             |
| `codec`             | JSON              | How `data` is encoded (`richCodec` keeps Date, Map, Set, BigInt).        |
| `maxPayloadBytes`   | 1 MiB             | Largest encoded payload accepted (`TOO_LARGE` above it).                 |
| `operationTimeout`  | 2000              | The most one operation may take, in ms; past it, `UNAVAILABLE`.          |
| `pruneInterval`     | 60000             | How often expired records are removed in the background, in ms (0: off). |
| `onBackgroundError` | a process warning | Where failures of the background prune go.                               |

## Layout in the backend

Describe where a record lives (key, table or collection per namespace), its fields, and the
user index that makes `listByUser` and `deleteByUser` cheap.

## Expiry

Describe how expired records are physically removed (native TTL, `prune()`, or both) and
how soon. Visibility never depends on it: a record is live iff `clock() < expiresAt`.

## Guarantees

Describe the round trips per operation, how compare-and-set is made atomic, and what happens
when the server is down (`UnavailableError`, bounded by `operationTimeout`).

## Running the tests

```sh
pnpm --filter @sessions/{{name}}... build
cd packages/{{name}} && pnpm vitest run
```

Describe the test server: how the test setup starts it on a free port, and the environment
variable that points the tests at an existing server instead.

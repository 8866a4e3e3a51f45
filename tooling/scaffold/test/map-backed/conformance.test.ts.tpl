import { describeStore } from '@sessions/conformance/vitest';
import { type {{Name}}Client, rowsOf } from '../src/{{name}}-driver.js';
import { {{Name}}Store } from '../src/{{name}}-store.js';

// One "server" for every store the suite builds.
const client: {{Name}}Client = new Map();

describeStore({
  name: '{{name}}',
  capabilities: { nativeExpiry: 'none' },
  create: ({ namespace, clock, codec }) =>
    new {{Name}}Store({ client, namespace, clock, codec, pruneInterval: 0 }),
  raw: (_store, { namespace }) => ({
    read: async (key) => {
      const row = rowsOf(client, namespace).get(key);
      return row === undefined ? undefined : { ...row };
    },
    writePayload: async (key, data, expiresAt) => {
      rowsOf(client, namespace).set(key, { data, expiresAt, userId: undefined, version: 1 });
    },
    dump: async () => JSON.stringify([...rowsOf(client, namespace)]),
  }),
});

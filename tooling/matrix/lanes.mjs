// The Node.js and driver matrix that `pnpm test:matrix` (and CI) runs after `pnpm test`.
// `pnpm test` covers the machine's Node.js 20 with the workspace's drivers (the catalog's
// better-sqlite3 12, ioredis 5 and mongodb 7), every test of every package. The lanes below add
// the other supported driver majors and the newer Node.js lines: core's tests and each store's
// conformance suite, once per driver major. Every major that a store's peer range allows must
// be run here or be the catalog's (tooling/scaffold/test/peer-matrix.test.ts checks it).

/**
 * @typedef {{ package: string, files: string[], drivers: Record<string, number> }} Run
 *   one package's tests (`files`, or all of them when empty) with the drivers given
 * @typedef {{ node: number, runs: Run[] }} Lane  a Node.js line and what runs on it
 */

const conformance = ['test/conformance.test.ts'];

/** Each store's conformance suite once per supported driver major. */
const everyMajor = (majors) => [
  ...majors.sqlite.map((m) => ({
    package: 'sqlite',
    files: conformance,
    drivers: { 'better-sqlite3': m },
  })),
  ...majors.redis.map((m) => ({ package: 'redis', files: conformance, drivers: { ioredis: m } })),
  ...majors.mongodb.map((m) => ({
    package: 'mongodb',
    files: conformance,
    drivers: { mongodb: m },
  })),
  { package: 'dynamodb', files: conformance, drivers: {} },
];

/** @type {Lane[]} */
export const lanes = [
  // Node 20 runs everything under `pnpm test`; here only the majors the workspace does not use.
  // better-sqlite3 13 needs Node 22 (on 20 it installs with a warning, then segfaults).
  {
    node: 20,
    runs: [
      { package: 'redis', files: conformance, drivers: { ioredis: 6 } },
      { package: 'mongodb', files: conformance, drivers: { mongodb: 6 } },
      // The doctor loads the user's driver: its checks on the majors the workspace does not use.
      { package: 'doctor', files: ['test/redis.test.ts'], drivers: { ioredis: 6 } },
      { package: 'doctor', files: ['test/mongodb.test.ts'], drivers: { mongodb: 6 } },
    ],
  },
  {
    node: 22,
    runs: [
      { package: 'core', files: [], drivers: {} },
      ...everyMajor({ sqlite: [12, 13], redis: [5, 6], mongodb: [6, 7] }),
      { package: 'doctor', files: ['test/sqlite.test.ts'], drivers: { 'better-sqlite3': 13 } },
    ],
  },
  {
    node: 24,
    runs: [
      { package: 'core', files: [], drivers: {} },
      ...everyMajor({ sqlite: [12, 13], redis: [5, 6], mongodb: [6, 7] }),
    ],
  },
];

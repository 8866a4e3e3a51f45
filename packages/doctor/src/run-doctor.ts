/** `runDoctor`: the store's checks, then the app's, as one report. */
import { dynamodbChecks } from './checks/dynamodb.js';
import { httpChecks } from './checks/http.js';
import { mongodbChecks } from './checks/mongodb.js';
import { postgresChecks } from './checks/postgres.js';
import { redisChecks } from './checks/redis.js';
import { sqliteChecks } from './checks/sqlite.js';
import { storeContext } from './checks/store-context.js';
import { DoctorError } from './errors.js';
import { parseStoreTarget, redact, type StoreTarget } from './target.js';
import type { CheckResult, DoctorOptions, DoctorReport } from './types.js';

/** The default bound of one check's operations, in ms. */
export const DEFAULT_TIMEOUT_MS = 5000;

function storeChecks(target: StoreTarget, spec: string, options: DoctorOptions) {
  const clock = options.clock ?? Date.now;
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const context = storeContext(redact(spec), options.namespace ?? 'sessions', timeout, clock);
  switch (target.kind) {
    case 'redis':
      return redisChecks(target.url, context);
    case 'sqlite':
      return sqliteChecks(target.file, target.table, context);
    case 'postgres':
      return postgresChecks(target.url, target.table, context);
    case 'mongodb':
      return mongodbChecks(target.url, target.table, context);
    case 'dynamodb':
      return dynamodbChecks(target, context);
  }
}

function parseUrl(name: string, value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new DoctorError('BAD_OPTIONS', `${name} must be an http:// or https:// URL, got ${value}`);
}

/**
 * Check a session store's configuration and an app's session cookie. Never throws for a
 * problem it finds (that is a `fail` result); throws a `DoctorError` for options it cannot act
 * on (`BAD_OPTIONS`) or a driver that is not installed (`MISSING_DRIVER`).
 *
 * @example
 * ```ts
 * import { runDoctor } from '@sessions/doctor';
 *
 * const report = await runDoctor({ store: 'redis://127.0.0.1:6379', app: 'http://localhost:3000/' });
 * for (const r of report.results) console.log(r.status, r.id, r.message, r.fix);
 * if (!report.ok) process.exitCode = 1;
 * ```
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  if (options.store === undefined && options.app === undefined) {
    throw new DoctorError('BAD_OPTIONS', 'give a store URL, an app URL, or both');
  }
  const store = options.store === undefined ? undefined : parseStoreTarget(options.store);
  const app = options.app === undefined ? undefined : parseUrl('app', options.app);
  const publicUrl =
    options.publicUrl === undefined ? app : parseUrl('publicUrl', options.publicUrl);
  const results: CheckResult[] = [];
  if (store !== undefined && options.store !== undefined) {
    results.push(...(await storeChecks(store, options.store, options)));
  }
  if (app !== undefined && publicUrl !== undefined) {
    results.push(
      ...(await httpChecks({
        url: app,
        publicUrl: new URL(
          publicUrl.pathname === '/' ? app.pathname : publicUrl.pathname,
          publicUrl,
        ),
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        body: options.body,
        cookieName: options.cookieName,
        timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
        clock: options.clock ?? Date.now,
      })),
    );
  }
  return { results, ok: results.every((r) => r.status !== 'fail') };
}

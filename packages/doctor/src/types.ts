/** The result types of the doctor, shared by the function, the CLI and every check. */

/** How a check came out: `fail` breaks sessions, `warn` is a risk or a trade-off to know. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/**
 * One finding of the doctor.
 *
 * @example
 * ```ts
 * const result: CheckResult = {
 *   id: 'redis.maxmemory-policy',
 *   status: 'fail',
 *   message: 'maxmemory-policy is allkeys-lru: Redis evicts live sessions under memory pressure',
 *   fix: 'CONFIG SET maxmemory-policy noeviction (and in redis.conf)',
 * };
 * ```
 */
export interface CheckResult {
  /** Stable identifier, `<area>.<check>` (`redis.maxmemory-policy`, `http.cookie-returns`...). */
  readonly id: string;
  /** The outcome. */
  readonly status: CheckStatus;
  /** What was found, in one line. */
  readonly message: string;
  /** What to do about it, in one line; empty when there is nothing to do. */
  readonly fix: string;
}

/**
 * What the doctor checks. Give a store URL, an app URL, or both.
 *
 * @example
 * ```ts
 * const options: DoctorOptions = { store: 'redis://127.0.0.1:6379', namespace: 'shop' };
 * ```
 */
export interface DoctorOptions {
  /**
   * The store, as a URL: `redis://…` / `rediss://…`, `redis+cluster://host:port,host:port`,
   * `mongodb://…` / `mongodb+srv://…`, `postgres://…` / `postgresql://…`,
   * `dynamodb://host:port?table=…&region=…` (`dynamodb://aws?region=…` for AWS itself;
   * `dynamodb://KEY:SECRET@host:port` for DynamoDB Local, which keeps tables per access key),
   * `sqlite:<path>`. `?table=` names the table (PostgreSQL, SQLite, DynamoDB) or collection
   * (MongoDB) when it is not the store's default.
   */
  store?: string;
  /** The namespace the app's store uses (default `sessions`, as the stores'). */
  namespace?: string;
  /** The app, as the URL of a route that starts a session (`http://localhost:3000/`). */
  app?: string;
  /**
   * The URL users reach the app at, when it differs from `app` (a TLS proxy in front:
   * `https://shop.example`): just the origin (the route's path is taken from `app`), or the
   * public URL of the same route. The cookie is judged against its scheme, host and path, and
   * the requests carry its `Host` and `Origin` (plus `X-Forwarded-Proto: https` and
   * `X-Forwarded-Host` when it is https and `app` is http), as a proxy forwards them. Default
   * `app`.
   */
  publicUrl?: string;
  /** The request that starts a session (default `GET`, or `POST` when `body` is given). */
  method?: string;
  /** A form body (`sku=tea`) sent as `application/x-www-form-urlencoded`. */
  body?: string;
  /** The session cookie's name, when the response sets several cookies. */
  cookieName?: string;
  /** How long one check may take, in ms (default 5000). */
  timeout?: number;
  /** This machine's clock (tests); default `Date.now`. */
  clock?: () => number;
}

/** What {@link runDoctor} found, in check order. */
export interface DoctorReport {
  /** Every finding. */
  readonly results: readonly CheckResult[];
  /** True when no check failed (warnings allowed). */
  readonly ok: boolean;
}

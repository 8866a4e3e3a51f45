/**
 * Metrics from a session manager's lifecycle events: misses by reason, lost compare-and-sets,
 * failed store calls by error class (`UNAVAILABLE` is an outage), and, when you can count them,
 * live sessions. Listeners go on the events that do not fire on a hit, so a request that finds
 * its session pays nothing for them.
 */
import { type Attributes, metrics, type ObservableResult } from '@opentelemetry/api';
import type { SessionManager } from '@sessions/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_SESSION_CONFLICT_OPERATION,
  ATTR_SESSION_MISS_REASON,
  ATTR_SESSION_STORE_OPERATION,
  INSTRUMENTATION_SCOPE,
  METRIC_SESSION_ACTIVE,
  METRIC_SESSION_CONFLICTS,
  METRIC_SESSION_MISSES,
  METRIC_SESSION_STORE_ERRORS,
} from './names.js';
import type { ManagerInstrumentationOptions } from './options.js';
import { errorType } from './outcome.js';

/** What {@link instrumentManager} needs of a manager: its `on`. */
export type ManagerEventSource = Pick<SessionManager<unknown>, 'on'>;

/**
 * Count a manager's misses (`session.misses`, by `session.miss.reason`), lost compare-and-sets
 * (`session.conflicts`) and failed store calls (`session.store.errors`, by operation and
 * `error.type`), and observe `session.active` if `countActiveSessions` is given. The
 * attributes are closed sets of values: no handle, token or user id is ever recorded. Returns
 * the function that removes the listeners (and the gauge's callback).
 *
 * @example
 * ```ts
 * import { createSessionManager, MemoryStore } from '@sessions/core';
 * import { instrumentManager } from '@sessions/opentelemetry';
 *
 * const sessions = createSessionManager({ store: new MemoryStore() });
 * const stop = instrumentManager(sessions);
 * // ...on shutdown:
 * stop();
 * ```
 */
export function instrumentManager(
  manager: ManagerEventSource,
  options: ManagerInstrumentationOptions = {},
): () => void {
  if (typeof manager !== 'object' || manager === null || typeof manager.on !== 'function') {
    throw new TypeError(`[${INSTRUMENTATION_SCOPE}] instrumentManager needs a session manager`);
  }
  const count = options.countActiveSessions;
  if (count !== undefined && typeof count !== 'function') {
    throw new TypeError(`[${INSTRUMENTATION_SCOPE}] countActiveSessions must be a function`);
  }
  const meter = (options.meterProvider ?? metrics).getMeter(INSTRUMENTATION_SCOPE);
  const misses = meter.createCounter(METRIC_SESSION_MISSES, {
    description: 'Requests that got no session, by reason.',
    unit: '{miss}',
  });
  const conflicts = meter.createCounter(METRIC_SESSION_CONFLICTS, {
    description: 'Session writes that lost a compare-and-set to another request.',
    unit: '{conflict}',
  });
  const storeErrors = meter.createCounter(METRIC_SESSION_STORE_ERRORS, {
    description: 'Store calls of the session manager that failed, by error class.',
    unit: '{error}',
  });
  const attributes = attributeCache();
  const stops = [
    manager.on('miss', ({ reason }) => misses.add(1, attributes(ATTR_SESSION_MISS_REASON, reason))),
    manager.on('conflict', ({ operation }) =>
      conflicts.add(1, attributes(ATTR_SESSION_CONFLICT_OPERATION, operation)),
    ),
    manager.on('store-error', ({ operation, error }) =>
      storeErrors.add(
        1,
        attributes(ATTR_SESSION_STORE_OPERATION, operation, ATTR_ERROR_TYPE, errorType(error)),
      ),
    ),
  ];
  if (count !== undefined) {
    const active = meter.createObservableUpDownCounter(METRIC_SESSION_ACTIVE, {
      description: 'Live sessions, as counted by countActiveSessions.',
      unit: '{session}',
    });
    const observe = async (result: ObservableResult): Promise<void> => {
      result.observe(await count());
    };
    active.addCallback(observe);
    stops.push(() => active.removeCallback(observe));
  }
  return () => {
    for (const stop of stops) stop();
  };
}

/**
 * Frozen attribute sets, built once per combination of values. The values come from closed
 * sets (miss reasons, operations, error codes), so the cache stays small.
 */
function attributeCache(): (...pairs: string[]) => Attributes {
  const cache = new Map<string, Attributes>();
  return (...pairs) => {
    const key = pairs.join('\0');
    let attributes = cache.get(key);
    if (attributes === undefined) {
      const built: Record<string, string> = {};
      for (let i = 0; i + 1 < pairs.length; i += 2)
        built[pairs[i] as string] = pairs[i + 1] as string;
      attributes = Object.freeze(built);
      cache.set(key, attributes);
    }
    return attributes;
  };
}

// Shared by the tests: the result of one check, by id, failing loudly when it is absent.
// The keys the global setup provides to inject() (redisUrl, postgresUrl...).
import type {} from '@sessions/test-stores';
import type { CheckResult, DoctorReport } from '../src/index.js';

/** The result of check `id` in `report`. */
export function result(report: DoctorReport, id: string): CheckResult {
  const found = report.results.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} in ${JSON.stringify(report.results, null, 2)}`);
  return found;
}

/** A namespace or table name no other test uses. */
export function unique(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
}

/** The doctor's report as a table for a terminal. */
import type { CheckResult, DoctorReport } from './types.js';

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

/**
 * One line per check (status, id, message) and, under a warning or failure, its fix; then a
 * summary line.
 *
 * @example
 * ```ts
 * console.log(formatReport(await runDoctor({ store: 'sqlite:sessions.db' })));
 * // PASS  sqlite.wal          journal_mode is WAL: readers never block the writer
 * // FAIL  sqlite.permissions  every user of this machine can read session data: …
 * //       fix: chmod 600 …
 * ```
 */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(0, ...report.results.map((r) => r.id.length));
  const lines = report.results.flatMap((r: CheckResult) => [
    `${MARK[r.status]}  ${r.id.padEnd(width)}  ${r.message}`,
    ...(r.status !== 'pass' && r.fix !== '' ? [`${' '.repeat(width + 8)}fix: ${r.fix}`] : []),
  ]);
  const count = (status: CheckResult['status']) =>
    report.results.filter((r) => r.status === status).length;
  const warnings = count('warn') === 1 ? 'warning' : 'warnings';
  lines.push('', `${count('pass')} passed, ${count('warn')} ${warnings}, ${count('fail')} failed`);
  return lines.join('\n');
}

/**
 * The harness's pure bookkeeping: which acknowledged writes must survive a fault, how a
 * verdict is reached, and how the doc's table is merged store by store.
 */
import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARKER,
  END_MARKER,
  judgeOutage,
  mergeIntoMarkdown,
  mustSurvive,
  type OperationSample,
  type OutageResult,
} from '../src/index.js';

const write = (issuedAt: number, settledAt: number): OperationSample => ({
  kind: 'set',
  key: 'k',
  issuedAt,
  settledAt,
  ok: true,
});

describe('mustSurvive', () => {
  const marks = { stoppedAt: 100, killedAt: 200 };

  it('requires every acknowledged write on a backend that keeps its data', () => {
    expect(mustSurvive(write(10, 20), marks, false)).toBe(true);
  });

  it('excuses, on a backend restarted empty, what it acknowledged before it stopped', () => {
    expect(mustSurvive(write(10, 20), marks, true)).toBe(false);
    // Issued before the freeze, its reply read while draining: the old server sent it.
    expect(mustSurvive(write(90, 150), marks, true)).toBe(false);
  });

  it('requires what was issued after the server stopped, or acknowledged after the kill', () => {
    expect(mustSurvive(write(120, 150), marks, true)).toBe(true);
    expect(mustSurvive(write(90, 250), marks, true)).toBe(true);
  });
});

function result(
  store: string,
  scenario: string,
  overrides: Partial<OutageResult> = {},
): OutageResult {
  return {
    store,
    scenario,
    boundMs: 2000,
    attempted: 10,
    succeeded: 8,
    failed: 2,
    hung: 0,
    longestWaitMs: 100,
    shortestFailureMs: 5,
    errorCodes: { UNAVAILABLE: 2 },
    badFailures: [],
    badFailureCount: 0,
    unhandledRejections: [],
    uncaughtExceptions: [],
    eventLoopDelayMaxMs: 3,
    eventLoopDelayP99Ms: 1,
    recoveryMs: 20,
    acknowledgedWrites: 4,
    checkedWrites: 4,
    falseSuccesses: 0,
    falseSuccessKeys: [],
    unverifiedWrites: 0,
    lostWithBackend: 0,
    inFlightAtFault: undefined,
    ...overrides,
  };
}

describe('judgeOutage', () => {
  it('passes a clean result and keeps the verdict on it', () => {
    const r = result('s', 'idle kill');
    expect(judgeOutage(r)).toEqual([]);
    expect(r.violations).toEqual([]);
  });

  it('names each violated criterion', () => {
    const r = result('s', 'idle kill', {
      falseSuccesses: 3,
      falseSuccessKeys: ['a'],
      longestWaitMs: 2600,
      recoveryMs: Number.POSITIVE_INFINITY,
      failed: 0,
      errorCodes: {},
    });
    const violations = judgeOutage(r).join('\n');
    expect(violations).toMatch(/3 acknowledged writes are not in the backend/);
    expect(violations).toMatch(/waited 2600 ms, over the 2000 ms bound/);
    expect(violations).toMatch(/took never/);
    expect(violations).toMatch(/the fault did not show/);
  });

  it('allows the bound plus the scheduling slack, and no more', () => {
    expect(judgeOutage(result('s', 'x', { longestWaitMs: 2250 }))).toEqual([]);
    expect(judgeOutage(result('s', 'x', { longestWaitMs: 2251 }))).toHaveLength(1);
  });
});

describe('mergeIntoMarkdown', () => {
  const doc = `# Title\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\nAfter.\n`;

  it('replaces the rows of the stores measured and keeps the others', () => {
    const first = mergeIntoMarkdown(doc, [result('redis', 'idle kill'), result('redis', 'burst')]);
    const second = mergeIntoMarkdown(first, [
      result('mongodb', 'idle kill', { falseSuccesses: 7 }),
    ]);
    const third = mergeIntoMarkdown(second, [result('redis', 'idle kill', { failed: 9 })]);
    const rows = third
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Store'));
    const tableRows = rows.filter((line) => !line.startsWith('| ---'));
    expect(tableRows.map((line) => line.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| mongodb | idle kill',
      '| redis | idle kill',
    ]);
    expect(tableRows[0]).toContain('| 7 |');
    expect(tableRows[1]).toContain('8 / 9');
    expect(third.startsWith('# Title\n\n')).toBe(true);
    expect(third.endsWith(`${END_MARKER}\n\nAfter.\n`)).toBe(true);
    expect(third).not.toContain('old');
  });

  it('refuses a document without the markers', () => {
    expect(() => mergeIntoMarkdown('# nothing', [])).toThrow(/markers/);
  });
});

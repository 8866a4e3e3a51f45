// The justified survivors: mutants behind a `// Stryker disable next-line <mutator>: <reason>`
// comment, which Stryker reports as Ignored with the comment's reason. A full passing run writes
// them into the README's table, so the list in the repository is the one the last run saw.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const README = 'tooling/mutation/README.md';
const START = '<!-- justified:start (written by pnpm mutation) -->';
const END = '<!-- justified:end -->';

/** One row per disabled line and mutator: where, which replacements, and the reason given. */
export function justifiedRows(results, root) {
  const rows = new Map();
  for (const m of results) {
    if (m.status !== 'Ignored') continue;
    const file = m.fileName.replace(`${root}/`, '');
    const id = `${file}:${m.location.start.line} ${m.mutatorName}`;
    const row = rows.get(id) ?? {
      file,
      line: m.location.start.line,
      mutator: m.mutatorName,
      reason: m.statusReason ?? '',
      count: 0,
    };
    row.count++;
    rows.set(id, row);
  }
  return [...rows.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Replace the README's table of justified survivors with `rows`. */
export function writeJustified(root, rows) {
  const path = join(root, README);
  const text = readFileSync(path, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${README} lost its ${START} … ${END} markers`);
  const table = [
    '| Where | Mutator | Mutants | Reason |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${r.file}:${r.line}\` | ${r.mutator} | ${r.count} | ${r.reason.replaceAll('|', '\\|')} |`,
    ),
  ].join('\n');
  writeFileSync(path, `${text.slice(0, from + START.length)}\n${table}\n${text.slice(to)}`);
}

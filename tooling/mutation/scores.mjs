// Scores per mutated area from Stryker's results, by Stryker's own formula: detected (killed or
// timed out) over detected plus undetected (survived or not covered). Ignored mutants (the
// justified ones, behind `Stryker disable` comments) and compile errors count for neither.
import { MUTATED } from './baseline.mjs';

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** `{ area: { score, detected, undetected, ignored } }` for every area with mutants in `results`. */
export function areaScores(results, root) {
  const areas = {};
  for (const mutant of results) {
    const file = mutant.fileName.replace(`${root}/`, '');
    const area = Object.keys(MUTATED).find((name) => file.startsWith(MUTATED[name]));
    if (area === undefined) continue;
    areas[area] ??= { score: 0, detected: 0, undetected: 0, ignored: 0 };
    if (DETECTED.has(mutant.status)) areas[area].detected++;
    else if (UNDETECTED.has(mutant.status)) areas[area].undetected++;
    else if (mutant.status === 'Ignored') areas[area].ignored++;
  }
  for (const area of Object.values(areas)) {
    const counted = area.detected + area.undetected;
    area.score = counted === 0 ? 100 : Math.floor((1_000 * area.detected) / counted) / 10;
  }
  return areas;
}

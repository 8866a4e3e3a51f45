/**
 * The structure check: every published package's rules, and a runner.
 */
import { KIT_RULES } from './kit-rules.js';
import { MANIFEST_RULES } from './manifest-rules.js';
import type { WorkspacePackage } from './packages.js';
import { type Problem, type Rule, ruleApplies } from './rule.js';
import { RUNTIME_RULES } from './runtime-rules.js';
import { STORE_RULES } from './store-rules.js';

export type { ManifestTarget } from './exports-map.js';
export {
  ALLOWED_STORE_TIMERS,
  driverProblems,
  KIT_RULES,
  optionsProblems,
  REMOVED_HELPERS,
  shellProblems,
  storeClassProblems,
} from './kit-rules.js';
export { ESM_ONLY_SUBPATHS } from './manifest-rules.js';
export type { PackageKind, PackageManifest, WorkspacePackage } from './packages.js';
export { classifyPackage, findPackages, findWorkspaceRoot } from './packages.js';
export type { ProbeMode, ProbeResult } from './probe.js';
export { probeImport } from './probe.js';
export type { Problem, Rule } from './rule.js';
export { formatProblems, ruleApplies } from './rule.js';
export type { DeclarationFact, SourceFacts, TimerFact } from './source-scan.js';
export { scanSource } from './source-scan.js';
export {
  ALLOWED_STORE_DEPENDENCIES,
  missingReadmeSections,
  README_SECTIONS,
} from './store-rules.js';

/** Every rule, generic ones first. */
export const RULES: readonly Rule[] = [
  ...MANIFEST_RULES,
  ...STORE_RULES,
  ...KIT_RULES,
  ...RUNTIME_RULES,
];

/** The rules that apply to `pkg`. */
export function rulesFor(pkg: WorkspacePackage): Rule[] {
  return RULES.filter((rule) => ruleApplies(rule, pkg));
}

/**
 * Run every applicable rule on `pkg`; resolves to all its problems (empty when it conforms).
 *
 * @example
 * ```ts
 * for (const pkg of findPackages(root)) console.log(formatProblems(await checkPackage(pkg)));
 * ```
 */
export async function checkPackage(pkg: WorkspacePackage): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const rule of rulesFor(pkg)) problems.push(...(await rule.check(pkg)));
  return problems;
}

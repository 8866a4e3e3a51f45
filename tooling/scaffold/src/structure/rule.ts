/**
 * The shape of a structure rule and of what it reports.
 */
import type { PackageKind, WorkspacePackage } from './packages.js';

/** One way a package drifts from the standard layout. */
export interface Problem {
  /** The file at fault, relative to the workspace root (e.g. `packages/redis/README.md`). */
  file: string;
  /** What is wrong and, where it is not obvious, how to fix it. */
  message: string;
}

/**
 * One rule of the structure check. Rules are data: the test runs each as its own test case,
 * so a failure names the rule, the package and the file.
 */
export interface Rule {
  /** Stable id, e.g. `store/readme-sections`. */
  id: string;
  /** What the rule requires, in one line (used as the test name and in CONTRIBUTING.md). */
  summary: string;
  /** Which packages it applies to: every published package, or stores only. */
  appliesTo: 'all' | readonly PackageKind[];
  check(pkg: WorkspacePackage): Problem[] | Promise<Problem[]>;
}

/** A problem with a file of `pkg`, given its path inside the package. */
export function problemAt(pkg: WorkspacePackage, fileInPackage: string, message: string): Problem {
  return { file: `${pkg.relDir}/${fileInPackage}`, message };
}

/** Whether `rule` applies to `pkg`. */
export function ruleApplies(rule: Rule, pkg: WorkspacePackage): boolean {
  return rule.appliesTo === 'all' || rule.appliesTo.includes(pkg.kind);
}

/** `file: message` lines, the form test failures show. */
export function formatProblems(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.file}: ${p.message}`);
}

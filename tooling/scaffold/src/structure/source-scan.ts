/**
 * What a TypeScript source file declares, read from its syntax tree (never by running it): the
 * names it imports and from where, its classes and interfaces with what they extend, and the
 * timers it starts. The kit rules judge a store's `src/` by these facts.
 */
import ts from 'typescript';

/** One imported name: `import { withDeadline as wd } from '@sessions/core'` is `withDeadline`. */
export interface ImportFact {
  name: string;
  from: string;
  line: number;
}

/** A base class or interface as written in a heritage clause, type arguments left out. */
export interface HeritageFact {
  name: string;
  /** The module it is imported from, when the file imports it. */
  from: string | undefined;
}

/** A class or interface declaration. */
export interface DeclarationFact {
  name: string;
  exported: boolean;
  extends: HeritageFact[];
  implements: HeritageFact[];
  /** Property and method names (interfaces and classes alike). */
  members: string[];
  line: number;
}

/** A timer the file starts (or imports), as written. */
export interface TimerFact {
  /** e.g. `setTimeout(() => ...)`, `AbortSignal.timeout(...)`, `import from 'node:timers'`. */
  what: string;
  line: number;
  /** A plain sleep: `setTimeout(resolve, ms)`, or `setTimeout` from `node:timers/promises`. */
  sleep: boolean;
}

/** Everything the kit rules need to know about one file. */
export interface SourceFacts {
  imports: ImportFact[];
  classes: DeclarationFact[];
  interfaces: DeclarationFact[];
  timers: TimerFact[];
}

const TIMER_MODULES = new Set(['timers', 'node:timers', 'timers/promises', 'node:timers/promises']);
const PROMISE_TIMERS = new Set(['timers/promises', 'node:timers/promises']);
const TIMER_FUNCTIONS = new Set(['setTimeout', 'setInterval']);

/**
 * Read the facts of one file.
 *
 * @example
 * ```ts
 * const facts = scanSource(readFileSync(file, 'utf8'), file);
 * facts.classes[0]?.extends; // [{ name: 'DriverStore', from: '@sessions/core/kit' }]
 * ```
 */
export function scanSource(text: string, fileName: string): SourceFacts {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const facts: SourceFacts = { imports: [], classes: [], interfaces: [], timers: [] };
  /** Local name → the module and the name it was imported as. */
  const locals = new Map<string, { from: string; name: string }>();

  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const from = statement.moduleSpecifier.text;
    const bindings = statement.importClause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const name = (element.propertyName ?? element.name).text;
        locals.set(element.name.text, { from, name });
        facts.imports.push({ name, from, line: line(element) });
      }
    }
    if (TIMER_MODULES.has(from)) {
      // `import { setTimeout as sleep } from 'node:timers/promises'` is a sleep, nothing more.
      const names = [...locals.values()].filter((l) => l.from === from).map((l) => l.name);
      const sleepOnly = PROMISE_TIMERS.has(from) && names.every((n) => n === 'setTimeout');
      facts.timers.push({ what: `import from '${from}'`, line: line(statement), sleep: sleepOnly });
    }
  }

  const heritage = (node: ts.ClassDeclaration | ts.InterfaceDeclaration, token: ts.SyntaxKind) =>
    (node.heritageClauses ?? [])
      .filter((clause) => clause.token === token)
      .flatMap((clause) => clause.types)
      .map((type): HeritageFact => {
        const name = type.expression.getText(source);
        const imported = locals.get(name);
        return { name: imported?.name ?? name, from: imported?.from };
      });
  const members = (node: ts.ClassDeclaration | ts.InterfaceDeclaration) =>
    (node.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>)
      .map((member) => (member.name !== undefined ? member.name.getText(source) : ''))
      .filter((name) => name !== '');
  const exported = (node: ts.ClassDeclaration | ts.InterfaceDeclaration) =>
    ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;

  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) {
      const fact: DeclarationFact = {
        name: node.name?.text ?? '(anonymous)',
        exported: exported(node),
        extends: heritage(node, ts.SyntaxKind.ExtendsKeyword),
        implements: heritage(node, ts.SyntaxKind.ImplementsKeyword),
        members: members(node),
        line: line(node),
      };
      (ts.isClassDeclaration(node) ? facts.classes : facts.interfaces).push(fact);
    }
    if (ts.isCallExpression(node)) {
      const timer = timerCall(node, source, locals);
      if (timer !== undefined) facts.timers.push({ ...timer, line: line(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/** The timer a call starts, if it is one (a call of a timer imported from a module is not). */
function timerCall(
  call: ts.CallExpression,
  source: ts.SourceFile,
  locals: ReadonlyMap<string, { from: string; name: string }>,
): { what: string; sleep: boolean } | undefined {
  const callee = call.expression;
  const text = callee.getText(source);
  if (text === 'AbortSignal.timeout') return { what: 'AbortSignal.timeout(...)', sleep: false };
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee) &&
        ['globalThis', 'global', 'window'].includes(callee.expression.getText(source))
      ? callee.name.text
      : undefined;
  // A local import (`setTimeout as sleep` from timers/promises) was judged at its import.
  if (name === undefined || !TIMER_FUNCTIONS.has(name) || locals.has(name)) return undefined;
  const [first] = call.arguments;
  const sleep = name === 'setTimeout' && first !== undefined && first.getText(source) === 'resolve';
  return { what: `${name}(${first?.getText(source).slice(0, 40) ?? ''}...)`, sleep };
}

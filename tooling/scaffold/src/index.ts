/**
 * `@sessions/scaffold`: the store generator behind `pnpm new-store <name>`, and the structure
 * check that keeps every package in the standard layout.
 *
 * @packageDocumentation
 */
export type { NewStoreIo } from './cli.js';
export { newStore, nextSteps } from './cli.js';
export type { FormatResult, Formatter } from './format.js';
export { biomeFormatter } from './format.js';
export type { TemplateFile, TemplateVars } from './generate.js';
export { planStore, render, TEMPLATE_FILES } from './generate.js';
export type { NameCheck } from './names.js';
export { pascalCase, RESERVED_NAMES, ROLE_PACKAGES, validateStoreName } from './names.js';
export * from './structure/index.js';
export { loadTemplates, TEMPLATES_DIR } from './templates.js';
export { existingPackages, ScaffoldError, writeStore } from './write.js';

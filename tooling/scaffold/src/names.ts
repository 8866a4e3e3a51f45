/**
 * What a new store may be called, and the identifiers derived from its name.
 */

/**
 * Packages under `packages/` that are not stores, by role. The structure check applies only
 * the generic rules to them; a store may never take their names.
 */
export const ROLE_PACKAGES: Readonly<Record<string, 'core' | 'conformance' | 'adapter'>> = {
  core: 'core',
  conformance: 'conformance',
  express: 'adapter',
  fastify: 'adapter',
  hono: 'adapter',
};

/** Names a new store may not take, and why. */
export const RESERVED_NAMES: Readonly<Record<string, string>> = {
  core: 'it is the contract package',
  conformance: 'it is the conformance suite',
  express: 'it is the express-session adapter',
  fastify: 'it is the @fastify/session adapter',
  hono: 'it is the Hono middleware',
  memory: 'the memory store lives in @sessions/core',
};

const MIN_LENGTH = 2;
const MAX_LENGTH = 40;
/** Lowercase letters and digits in words joined by single hyphens, starting with a letter. */
const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The outcome of {@link validateStoreName}: a name to use, or why it cannot be used. */
export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

/**
 * Check a store name against the naming rules, the reserved names and the packages that
 * already exist.
 *
 * @param existing - folder names under `packages/`.
 * @example
 * ```ts
 * validateStoreName('postgres', ['core', 'redis']); // { ok: true, name: 'postgres' }
 * validateStoreName('redis', ['core', 'redis']).ok; // false: it exists
 * ```
 */
export function validateStoreName(name: unknown, existing: readonly string[]): NameCheck {
  if (typeof name !== 'string' || name.length === 0) {
    return { ok: false, reason: 'give the store a name, e.g. `pnpm new-store postgres`' };
  }
  if (name.length < MIN_LENGTH || name.length > MAX_LENGTH) {
    return {
      ok: false,
      reason: `"${name}" must be ${MIN_LENGTH} to ${MAX_LENGTH} characters long`,
    };
  }
  if (!NAME_PATTERN.test(name)) {
    return {
      ok: false,
      reason: `"${name}" must be lowercase letters, digits and single hyphens, starting with a letter (e.g. "cloudflare-kv")`,
    };
  }
  if (name.endsWith('-store')) {
    return {
      ok: false,
      reason: `drop the "-store" suffix: the package is @sessions/${name.slice(0, -6)}`,
    };
  }
  const reserved = RESERVED_NAMES[name];
  if (reserved !== undefined) return { ok: false, reason: `"${name}" is reserved: ${reserved}` };
  if (existing.includes(name)) {
    return {
      ok: false,
      reason: `packages/${name} already exists; the scaffold never overwrites a package`,
    };
  }
  return { ok: true, name };
}

/** `cloudflare-kv` → `CloudflareKv`: the prefix of the class and options type names. */
export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

import type { UserConfig } from 'vitest/config';

/** A package's vitest config: the shared defaults merged with `overrides`. */
export declare function sessionsVitestConfig(overrides?: UserConfig): UserConfig;

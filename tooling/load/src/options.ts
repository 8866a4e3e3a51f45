/** The command line: `--app` and `--store` (repeatable, or comma lists), `--clients`, `--duration`, `--think`. */
import { parseDuration } from '@sessions/soak';
import { APPS } from './apps/index.js';
import { STORES, type StoreName } from './stores.js';

/** A parsed command line. */
export interface LoadCommand {
  apps: string[];
  stores: StoreName[];
  clients: number;
  /** Each app × store runs this long. */
  durationMs: number;
  thinkMs: number;
}

/** What runs without arguments: every app on both stores, 1,000 clients, 2 minutes each. */
export const DEFAULTS = { clients: 1000, durationMs: 2 * 60_000, thinkMs: 5000 } as const;

function isStore(name: string): name is StoreName {
  return (STORES as readonly string[]).includes(name);
}

/**
 * Parse `argv` (e.g. `--app demo,express --store sqlite --clients 1000 --duration 2m`).
 *
 * @example
 * ```ts
 * parseLoadCommand(['--app', 'demo', '--duration', '30s']).durationMs; // 30000
 * ```
 */
export function parseLoadCommand(argv: string[]): LoadCommand {
  const apps: string[] = [];
  const stores: StoreName[] = [];
  let { clients, durationMs, thinkMs }: { clients: number; durationMs: number; thinkMs: number } =
    DEFAULTS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`[@sessions/load] ${arg} needs a value`);
      return next;
    };
    if (arg === '--') continue;
    if (arg === '--app') apps.push(...value().split(','));
    else if (arg === '--store') {
      for (const name of value().split(',')) {
        if (!isStore(name))
          throw new Error(`[@sessions/load] no store "${name}" (${STORES.join(', ')})`);
        stores.push(name);
      }
    } else if (arg === '--clients') clients = Number(value());
    else if (arg === '--duration') durationMs = parseDuration(value());
    else if (arg === '--think') thinkMs = parseDuration(value());
    else {
      throw new Error(
        `[@sessions/load] unknown argument ${arg} (--app, --store, --clients, --duration, --think)`,
      );
    }
  }
  if (!Number.isSafeInteger(clients) || clients < 1) {
    throw new Error(`[@sessions/load] --clients must be a positive integer, got ${clients}`);
  }
  for (const name of apps) {
    if (!APPS.some((a) => a.name === name)) {
      throw new Error(`[@sessions/load] no app "${name}" (${APPS.map((a) => a.name).join(', ')})`);
    }
  }
  return {
    apps: apps.length ? apps : APPS.map((a) => a.name),
    stores: stores.length ? stores : [...STORES],
    clients,
    durationMs,
    thinkMs,
  };
}

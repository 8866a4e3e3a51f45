// What a Redis server received, seen from the server: INFO commandstats deltas, and MONITOR to
// tell the commands a client sent from the ones its scripts ran.
import { Redis } from 'ioredis';

/** Calls per command name, e.g. `{ evalsha: 1, hmget: 2 }`. */
export type CommandCounts = Record<string, number>;

/** Parse `INFO commandstats` into calls per command. */
export function parseCommandStats(info: string): CommandCounts {
  const counts: CommandCounts = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    counts[match[1] as string] = Number(match[2]);
  }
  return counts;
}

/** Reset a server's command statistics. */
export async function resetStats(client: Redis): Promise<void> {
  await client.config('RESETSTAT');
}

/** The server's command counts, without the statistics commands themselves. */
export async function commandCounts(client: Redis): Promise<CommandCounts> {
  const counts = parseCommandStats(await client.info('commandstats'));
  for (const own of ['info', 'config|resetstat', 'echo', 'client|info', 'ping']) delete counts[own];
  return counts;
}

/** One command the server received: its name, and whether a script (not a client) ran it. */
export interface SeenCommand {
  name: string;
  fromScript: boolean;
}

/**
 * Watch everything a server receives (MONITOR) except from `helper`. `settle()` sends a marker
 * through `helper` and resolves once MONITOR has shown it, so every earlier command is in.
 */
export async function watchServer(url: string, helper: Redis) {
  const helperAddress = /addr=(\S+)/.exec((await helper.client('INFO')) as string)?.[1];
  // monitor() opens a connection of its own; the lazy client it is called on never connects.
  const monitor = await new Redis(url, { lazyConnect: true }).monitor();
  const seen: SeenCommand[] = [];
  let onMarker: ((marker: string) => void) | undefined;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = (args[0] ?? '').toLowerCase();
    if (source === helperAddress) {
      if (name === 'echo') onMarker?.(args[1] ?? '');
      return;
    }
    seen.push({ name, fromScript: source === 'lua' });
  });
  let markers = 0;
  return {
    /** Wait until MONITOR has delivered everything sent so far, then forget it. */
    async settle(): Promise<SeenCommand[]> {
      const marker = `settle-${markers++}`;
      const arrived = new Promise<void>((resolve) => {
        onMarker = (m) => {
          if (m === marker) resolve();
        };
      });
      await helper.echo(marker);
      await arrived;
      return seen.splice(0, seen.length);
    },
    stop: () => monitor.disconnect(),
  };
}

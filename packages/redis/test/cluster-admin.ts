// Redis Cluster administration for the cluster-change tests: the topology as `CLUSTER NODES`
// tells it, health (every replica in sync), redis-cli, and reading keys back from the master
// that serves them, each over a plain connection of its own.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { KeyLayout } from '../src/index.js';
import { hashSlot } from '../src/layout.js';
import type { Ack } from './cluster-load.js';

const run = promisify(execFile);

/** One node as `CLUSTER NODES` describes it. */
export interface NodeInfo {
  id: string;
  port: number;
  master: boolean;
  /** For a replica: its master's id. */
  masterId: string | undefined;
  slots: Array<[number, number]>;
  failed: boolean;
}

export async function clusterNodes(port: number): Promise<NodeInfo[]> {
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    const text = (await client.call('CLUSTER', 'NODES')) as string;
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id = '', address = '', flags = '', masterId = '', , , , , ...slots] =
          line.split(' ');
        return {
          id,
          port: Number(address.split('@')[0]?.split(':')[1]),
          master: flags.includes('master'),
          masterId: masterId === '-' ? undefined : masterId,
          failed: flags.split(',').some((flag) => flag === 'fail' || flag === 'fail?'),
          slots: slots
            .filter((range) => !range.startsWith('['))
            .map((range) => {
              const [low, high = low] = range.split('-').map(Number) as [number, number?];
              return [low, high] as [number, number];
            }),
        };
      });
  } finally {
    client.disconnect();
  }
}

/** Resolve once `port` sees a healthy cluster of `known` nodes where every master has `replicas`. */
export async function waitHealthy(port: number, known: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      try {
        const info = (await client.call('CLUSTER', 'INFO')) as string;
        const nodes = await clusterNodes(port);
        // A replica still in its first sync holds none of its master's writes: promoting it
        // then would lose them all (see docs/reliability.md), so "healthy" includes "in sync".
        const ok =
          info.includes('cluster_state:ok') &&
          nodes.length === known &&
          (await replicasInSync(nodes)) &&
          nodes.every((n) => !n.failed) &&
          nodes
            .filter((n) => n.master && n.slots.length > 0)
            .every((m) => nodes.some((r) => r.masterId === m.id));
        if (ok) return;
        last = info.split('\r\n')[0] ?? '';
      } finally {
        client.disconnect();
      }
    } catch (err) {
      last = String(err);
    }
    await sleep(200);
  }
  throw new Error(`the cluster did not become healthy within ${timeoutMs} ms (${last})`);
}

/** Run redis-cli; a failure carries its output (redis-cli reports problems on stdout). */
export async function redisCli(...args: string[]): Promise<{ stdout: string }> {
  try {
    return await run('redis-cli', args, { timeout: 120_000 });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`redis-cli ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}

/** True once every replica has finished syncing and its link to its master is up. */
async function replicasInSync(nodes: NodeInfo[]): Promise<boolean> {
  for (const replica of nodes.filter((n) => !n.master)) {
    const client = new Redis(replica.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      const info = await client.info('replication');
      if (!info.includes('master_link_status:up') || info.includes('master_sync_in_progress:1')) {
        return false;
      }
    } finally {
      client.disconnect();
    }
  }
  return true;
}

/** Resolve once every node lists `count` nodes. */
export async function everyNodeKnowsAll(ports: number[], count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const port of ports) {
    while ((await clusterNodes(port)).length < count) {
      if (Date.now() > deadline) throw new Error(`node ${port} does not know all ${count} nodes`);
      await sleep(100);
    }
  }
}

/**
 * The acknowledged keys missing from the cluster now: each read with EXISTS from the master
 * that `CLUSTER NODES` (asked of `port`) says serves its slot, one plain connection per master.
 */
export async function missing(port: number, layout: KeyLayout, acks: Ack[]): Promise<Ack[]> {
  const masters = (await clusterNodes(port)).filter((n) => n.master && n.slots.length > 0);
  const clients = new Map(
    masters.map((m) => [m.id, new Redis(m.port, '127.0.0.1', { maxRetriesPerRequest: 1 })]),
  );
  const clientOf = (slot: number) => {
    const owner = masters.find((m) => m.slots.some(([low, high]) => slot >= low && slot <= high));
    const client = owner && clients.get(owner.id);
    if (client === undefined) throw new Error(`no master serves slot ${slot}`);
    return client;
  };
  try {
    const lost: Ack[] = [];
    for (let i = 0; i < acks.length; i += 500) {
      const batch = acks.slice(i, i + 500);
      const found = await Promise.all(
        batch.map((ack) => {
          const redisKey = layout.sessionKey(ack.key);
          const tag = redisKey.slice(1, redisKey.indexOf('}'));
          return clientOf(hashSlot(tag)).exists(redisKey);
        }),
      );
      batch.forEach((ack, j) => {
        if (found[j] !== 1) lost.push(ack);
      });
    }
    return lost;
  } finally {
    for (const client of clients.values()) await client.quit();
  }
}

/**
 * The lost-write check: every write a lane was acknowledged, read back through the backend's
 * raw access. A record that should be live must hold the last acknowledged payload; a record
 * whose delete was acknowledged must be gone.
 */
import type { RawProbe } from './backends/types.js';
import type { ReadBackResult } from './types.js';
import type { Lane } from './workload.js';

/** Only records live this much longer are checked: the check itself takes time. */
const LIVE_MARGIN_MS = 1000;
const BATCH = 500;
const EXAMPLES = 5;

/** Read every lane's acknowledged writes back; forgets the checked deletes. */
export async function readBack(lanes: readonly Lane[], raw: RawProbe): Promise<ReadBackResult> {
  const result: ReadBackResult = { checked: 0, lost: 0, resurrected: 0, examples: [] };
  const note = (what: string) => {
    if (result.examples.length < EXAMPLES) result.examples.push(what);
  };
  for (const lane of lanes) {
    const live = lane.live(LIVE_MARGIN_MS);
    const deleted = [...lane.deleted];
    lane.deleted.clear();
    for (let i = 0; i < live.length; i += BATCH) {
      const batch = live.slice(i, i + BATCH);
      const found = await raw.read(batch.map(([key]) => key));
      for (const [key, session] of batch) {
        result.checked++;
        const stored = found.get(key);
        const tokens = [session.token, ...(session.maybe ?? [])];
        if (stored === undefined || !tokens.some((t) => stored.includes(t))) {
          result.lost++;
          note(`${key} (v${session.version}) lost`);
        }
      }
    }
    for (let i = 0; i < deleted.length; i += BATCH) {
      const found = await raw.read(deleted.slice(i, i + BATCH));
      for (const key of found.keys()) {
        result.resurrected++;
        note(`${key} deleted but still stored`);
      }
    }
  }
  return result;
}

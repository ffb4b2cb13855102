// An idle watcher writes nothing: the checkpoint only when something in it changed, the status when something shown changed or its heartbeat is due.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { scanLine, waitFor } from '../../test/support/watch-child.js';
import { testWatcher } from '../../test/support/watcher.js';
import { type Checkpoint, StateDir } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-idle-writes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A state directory that counts its writes. */
class CountingState extends StateDir {
  saves: Checkpoint[] = [];
  statuses = 0;
  override save(cp: Checkpoint): void {
    this.saves.push(cp);
    super.save(cp);
  }
  override writeStatus(status: unknown): void {
    this.statuses++;
    super.writeStatus(status);
  }
}

describe('an idle watcher', () => {
  it('writes its checkpoint only when something in it changed, and its status at the heartbeat', {
    timeout: 30_000,
  }, async () => {
    const log = join(dir, 'fw.log');
    writeFileSync(log, `${Array.from({ length: 10 }, (_, i) => scanLine(i)).join('\n')}\n`);
    const state = new CountingState(join(dir, 'state'));
    const w = testWatcher({
      files: [log],
      from: 'start',
      detectEveryMs: 20,
      // Looked at every 50 ms, as often as the 2 s of a real watcher in 80 times the time.
      checkpointMs: 50,
      statusMs: 50,
      statusHeartbeatMs: 1000,
      state,
    });
    await w.start();
    try {
      expect(await waitFor(() => state.saves.at(-1)?.positions[0]?.line === 10, 10_000)).toBe(true);
      // Settled: the lines are read, quiet time has moved event time on.
      await sleep(1500);
      const saves = state.saves.length;
      const statuses = state.statuses;
      await sleep(2500);
      // Before: a checkpoint and a status every 50 ms, ~50 of each in these 2.5 s.
      expect(state.saves.length - saves).toBeLessThanOrEqual(1);
      // The heartbeat (1 s here): two or three writes in 2.5 s, not one per look.
      expect(state.statuses - statuses).toBeGreaterThanOrEqual(1);
      expect(state.statuses - statuses).toBeLessThanOrEqual(4);
      // A new line changes the positions: written again.
      appendFileSync(log, `${scanLine(10)}\n`);
      expect(await waitFor(() => state.saves.at(-1)?.positions[0]?.line === 11, 10_000)).toBe(true);
    } finally {
      await w.stop();
    }
  });
});

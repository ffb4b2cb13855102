// A checkpoint never runs ahead of detection: what the lines up to its positions made qualify was announced before it was written.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/watch-child.js';
import { knowledgeBase } from '../knowledge/index.js';
import { type Checkpoint, StateDir } from './state.js';
import { Watcher } from './watcher.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-checkpoint-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = Date.UTC(2026, 10, 20, 10, 0, 0);
const probe = (k: number) =>
  `${new Date(BASE + k * 1000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.66 DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${6000 + k} WINDOW=1024 SYN URGP=0\n`;

describe('the checkpoint', () => {
  it('is written after the findings of the lines it covers were announced', { timeout: 30_000 }, async () => {
    const log = join(dir, 'fw.log');
    writeFileSync(log, probe(0));
    let announced = 0;
    /** Per checkpoint written: its line, and how many announcements were made by then. */
    const saves: { line: number; announced: number }[] = [];
    const state = new (class extends StateDir {
      override save(cp: Checkpoint): void {
        saves.push({ line: cp.positions[0]?.line ?? 0, announced });
        super.save(cp);
      }
    })(join(dir, 'state'));
    const w = new Watcher({
      files: [log],
      from: 'start',
      pollMs: 20,
      // The detector is polled when a chunk comes at most once a minute and the timer never: only the
      // checkpoint (every 50 ms) can see the scan's lines first.
      detectEveryMs: 60_000,
      checkpointMs: 50,
      records: {},
      kb: knowledgeBase(),
      state,
      alerter: {
        announce: async () => {
          announced++;
        },
        flush: async () => {},
        close: async () => {},
        stats: () => ({}),
      },
      onNotice: () => {},
    });
    await w.start();
    try {
      // The first chunk is polled (the first poll is due): then the scan comes.
      expect(await waitFor(() => saves.some((s) => s.line === 1), 10_000)).toBe(true);
      appendFileSync(log, Array.from({ length: 12 }, (_, k) => probe(k + 1)).join(''));
      expect(await waitFor(() => saves.some((s) => s.line === 13), 10_000)).toBe(true);
      // Before: written with line 13 and no announcement; a kill then made the restart re-read the scan
      // quietly, as handled, and it was never announced.
      expect(saves.find((s) => s.line === 13)!.announced).toBeGreaterThanOrEqual(1);
    } finally {
      await w.stop();
    }
  });
});

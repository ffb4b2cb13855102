// The state directory: checkpoints round-trip, a foreign or damaged one is reported and not used, replay points trail one window.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, type Checkpoint, defaultStateDir, ReplayTracker, StateDir } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cp: Checkpoint = {
  version: 1,
  writtenAt: 1,
  positions: [{ path: '/x.log', dev: 1, ino: 2, fp: 'ab', fpLen: 2, offset: 10, line: 3 }],
  replay: [{ identity: '1:2', offset: 0, line: 0 }],
  announced: [],
  totals: { lines: 3 },
};

describe('StateDir', () => {
  it('saves atomically (no temporary file left) and loads what it saved', () => {
    const s = new StateDir(join(dir, 'a'));
    s.ensure();
    s.save(cp);
    expect(readdirSync(s.dir)).toEqual([CHECKPOINT_FILE]);
    expect(s.load()).toEqual({ checkpoint: cp });
  });

  it('reports a checkpoint of another schema version or not JSON, and does not use it', () => {
    const s = new StateDir(join(dir, 'b'));
    s.ensure();
    writeFileSync(join(s.dir, CHECKPOINT_FILE), JSON.stringify({ ...cp, version: 99 }));
    expect(s.load()).toEqual({ problem: 'checkpoint schema version 99 is not 1' });
    writeFileSync(join(s.dir, CHECKPOINT_FILE), '{"version":1,');
    expect(s.load().problem).toMatch(/^checkpoint is not JSON/);
    expect(new StateDir(join(dir, 'none')).load()).toEqual({});
  });

  it('lives under XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: '/s' })).toBe('/s/fwlens');
    expect(defaultStateDir({ HOME: '/h' })).toBe('/h/.local/state/fwlens');
  });
});

describe('ReplayTracker', () => {
  it('keeps a point at least one window behind the newest line, never more than needed', () => {
    const r = new ReplayTracker(600_000);
    for (let i = 0; i < 3600; i++) r.note('f', i * 1000, i * 100, i + 1);
    const [p] = r.points(new Set(['f']));
    // Newest line at 3,599 s: the point is older than 2,999 s, by at most two sample steps (1/64 window each).
    const at = p!.offset / 100;
    expect(at).toBeLessThanOrEqual(2999);
    expect(at).toBeGreaterThan(2999 - (2 * 600_000) / 64 / 1000 - 1);
    expect(p!.line).toBe(at);
    expect(r.points(new Set())).toEqual([]);
  });

  it('forgets the samples of a file truncated and written anew under the same inode (copytruncate)', () => {
    const r = new ReplayTracker(600_000);
    for (let i = 0; i < 100; i++) r.note('f', i * 60_000, i * 100, i + 1);
    // Truncated: the next line starts at offset 0 again.
    r.note('f', 100 * 60_000, 0, 1);
    expect(r.points(new Set(['f']))).toEqual([{ identity: 'f', offset: 0, line: 0 }]);
  });
});

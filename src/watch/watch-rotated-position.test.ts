// A checkpoint position of a file rotated away while it was still read (saved under its new name) is the watcher's own: read on after a restart.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanLine, waitFor } from '../../test/support/watch-child.js';
import { testWatcher } from '../../test/support/watcher.js';
import { FINGERPRINT_BYTES, fingerprintOf } from '../store/identity.js';
import type { FilePosition, FollowNotice } from './follow.js';
import { type Checkpoint, StateDir } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-rotated-position-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (from: number, n: number) =>
  `${Array.from({ length: n }, (_, k) => scanLine(from + k)).join('\n')}\n`;

/**
 * fw.log held lines 0-19 and was renamed to fw.log.1 while the watcher read it: it had handled 10 of them when it
 * stopped, and its checkpoint holds that position under fw.log.1 (with `followed`, the name it left, unless
 * `old`: as checkpoints before that field were written). A new fw.log holds 5 lines. `meanwhile` runs before
 * a watcher of `fw.log` (the name only) starts on that state directory; it stops once it has handled `expect` lines.
 */
async function restart(name: string, old: boolean, meanwhile: (rotated: string) => void, expected: number) {
  // A directory each: a file elsewhere in it with the same first bytes would pass for a copy of the rotated one.
  mkdirSync(join(dir, name));
  const log = join(dir, name, 'fw.log');
  const rotated = `${log}.1`;
  writeFileSync(rotated, text(0, 20));
  writeFileSync(log, text(20, 5));
  const state = new StateDir(join(dir, `${name}-state`));
  state.ensure();
  const id = (path: string, offset: number, line: number): FilePosition => {
    const st = statSync(path);
    const head = readFileSync(path).subarray(0, FINGERPRINT_BYTES);
    return { path, dev: st.dev, ino: st.ino, fp: fingerprintOf(head), fpLen: head.length, offset, line };
  };
  const half = Buffer.byteLength(text(0, 10));
  const writtenAt = Date.now() - 60_000;
  state.save({
    version: 1,
    writtenAt,
    positions: [id(log, 0, 0), { ...id(rotated, half, 10), ...(old ? {} : { followed: log }) }],
    replay: [],
    announced: [],
    totals: { lines: 10 },
  } as Checkpoint);
  meanwhile(rotated);
  const notices: FollowNotice[] = [];
  const w = testWatcher({
    files: [log],
    from: 'end',
    detectEveryMs: 20,
    checkpointMs: 50,
    state,
    onNotice: (n) => notices.push(n),
  });
  await w.start();
  const handled = () => state.load().checkpoint?.totals['lines'] ?? 0;
  await waitFor(() => handled() >= expected, 5000);
  await new Promise((r) => setTimeout(r, 200));
  await w.stop();
  return { lines: handled(), notices, log, rotated };
}

describe('fwlens watch restarted after its file was rotated away while it was read', () => {
  for (const old of [false, true])
    it(`reads the rest of the rotated file, then the new one (${old ? 'a checkpoint without the name the file left' : 'the checkpoint as written now'})`, {
      timeout: 20_000,
    }, async () => {
      const r = await restart(
        old ? 'old' : 'now',
        old,
        (rotated) => appendFileSync(rotated, text(25, 2)),
        27,
      );
      // Before: the position under fw.log.1 was dropped as another watcher's: 12 lines never read, unsaid.
      expect(r.lines).toBe(10 + 12 + 5);
      expect(r.notices.filter((n) => n.kind === 'lost')).toEqual([]);
    });

  it('says once that lines were not read when the rotated file is gone since', {
    timeout: 20_000,
  }, async () => {
    const r = await restart('gone', false, (rotated) => rmSync(rotated), 15);
    expect(r.lines).toBe(10 + 5);
    expect(r.notices.filter((n) => n.kind === 'lost')).toEqual([{ kind: 'lost', path: r.rotated }]);
  });
});

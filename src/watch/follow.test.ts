// The follower on real files: rotation by rename, copytruncate and truncation while a writer appends, globs, restarts.
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FINGERPRINT_BYTES, fingerprintOf } from '../store/identity.js';
import {
  type FilePosition,
  Follower,
  type FollowNotice,
  type LineChunk,
  MAX_FOLLOWED_FILES,
  replayKey,
} from './follow.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-follow-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A follower collecting every line (and notices) it hands over. */
function collect(patterns: string[], extra: Partial<ConstructorParameters<typeof Follower>[1]> = {}) {
  const lines: string[] = [];
  const chunks: LineChunk[] = [];
  const notices: FollowNotice[] = [];
  const f = new Follower(patterns, {
    pollMs: 20,
    drainMs: 100,
    partialFlushMs: 60_000,
    ...extra,
    onLines: async (c) => {
      chunks.push(c);
      if (!c.replay) lines.push(...c.lines);
    },
    onNotice: (n) => notices.push(n),
  });
  return { f, lines, chunks, notices };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

const numbered = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${from + i}`);

/** Append lines one at a time with short pauses, calling `rotate` every `every` lines. */
async function writeWhile(path: string, n: number, every: number, rotate: (k: number) => void) {
  for (let i = 1; i <= n; i++) {
    appendFileSync(path, `line ${i}\n`);
    if (i % every === 0) rotate(i / every);
    if (i % 7 === 0) await sleep(1);
  }
}

describe('Follower', () => {
  it('reads a file rotated away to its end, before the new file, however long that takes', async () => {
    const path = join(dir, 'fw.log');
    // 24 MB, most of it not yet read when the file is renamed: six read budgets, far longer than the 100 ms drain time.
    const old = numbered(200_000).map((l) => `${l} ${'x'.repeat(110)}`);
    writeFileSync(path, '');
    const lines: string[] = [];
    const released: FilePosition[] = [];
    const named: { path: string; first: number; n: number }[] = [];
    const notices: FollowNotice[] = [];
    const f = new Follower([path], {
      pollMs: 20,
      drainMs: 100,
      from: 'start',
      onLines: async (c) => {
        lines.push(...c.lines);
        named.push({ path: c.path, first: c.firstLine, n: c.lines.length });
        await sleep(40); // a slow consumer: parsing and detection
      },
      onReleased: (p) => released.push(p),
      onNotice: (n) => notices.push(n),
    });
    await f.start();
    writeFileSync(path, `${old.join('\n')}\n`);
    await until(() => lines.length > 0);
    renameSync(path, `${path}.1`);
    writeFileSync(path, `${numbered(5, 1_000_001).join('\n')}\n`);
    await until(() => lines.length >= old.length + 5, 30_000);
    await f.stop();
    expect(lines).toEqual([...old, ...numbered(5, 1_000_001)]);
    expect(released).toHaveLength(1);
    expect(released[0]!.line).toBe(old.length);
    // Once the rename is seen, the old file's lines are named by its new name, numbered on; the new file's by
    // the followed name from 1.
    expect(notices).toEqual([{ kind: 'renamed', path, detail: `${path}.1` }]);
    expect(released[0]!.path).toBe(`${path}.1`);
    const renamedAt = named.findIndex((c) => c.path === `${path}.1`);
    expect(renamedAt).toBeGreaterThan(0);
    expect(named.slice(0, renamedAt).every((c) => c.path === path)).toBe(true);
    const last = named[named.length - 1]!;
    expect(last).toEqual({ path, first: 1, n: 5 });
    for (let i = 1; i < named.length - 1; i++)
      expect(named[i]!.first).toBe(named[i - 1]!.first + named[i - 1]!.n);
    expect(named.slice(renamedAt, -1).every((c) => c.path === `${path}.1`)).toBe(true);
  });

  it('a file renamed away before its new file exists: said once, as the rename, and read on under the new name', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, `${numbered(3).join('\n')}\n`);
    const { f, lines, chunks, notices } = collect([path], { from: 'start' });
    await f.start();
    await until(() => lines.length >= 3);
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, `${numbered(2, 4).join('\n')}\n`); // late writes to the old file
    await until(() => lines.length >= 5);
    await sleep(100);
    writeFileSync(path, `${numbered(2, 6).join('\n')}\n`); // the new file, later
    await until(() => lines.length >= 7);
    await f.stop();
    expect(lines).toEqual(numbered(7));
    expect(notices).toEqual([{ kind: 'renamed', path, detail: `${path}.1` }]);
    expect(chunks.map((c) => [c.path, c.firstLine, c.lines.length])).toEqual([
      [path, 1, 3],
      [`${path}.1`, 4, 2],
      [path, 1, 2],
    ]);
  });

  it('sees every line once across rotation by rename while a writer appends', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, '');
    const { f, lines } = collect([path], { from: 'start' });
    await f.start();
    await writeWhile(path, 3000, 400, (k) => renameSync(path, `${path}.${k}`));
    await until(() => lines.length >= 3000);
    await sleep(200);
    await f.stop();
    expect(lines).toEqual(numbered(3000));
  });

  it('sees every line once across copytruncate while a writer appends', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, '');
    const { f, lines, notices } = collect([path], { from: 'start' });
    await f.start();
    await writeWhile(path, 3000, 500, (k) => {
      copyFileSync(path, `${path}.${k}`);
      truncateSync(path, 0);
    });
    await until(() => lines.length >= 3000);
    await sleep(200);
    await f.stop();
    expect(lines).toEqual(numbered(3000));
    expect(notices.some((n) => n.kind === 'copytruncate' || n.kind === 'truncated')).toBe(true);
  });

  it('notices a truncation in place even when the file grew past the old size before the next look', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, `${numbered(50).join('\n')}\n`);
    const { f, lines } = collect([path], { from: 'start', pollMs: 60_000 });
    await f.start();
    expect(lines).toEqual(numbered(50));
    truncateSync(path, 0);
    appendFileSync(path, `${numbered(200, 51).join('\n')}\n`);
    await f.round();
    await f.stop();
    expect(lines).toEqual(numbered(250));
  });

  it('a file truncated and written again while it is read: every position names it by its first 1,024 bytes', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, `${numbered(50).join('\n')}\n`);
    const ends: FilePosition[] = [];
    let grow = false;
    const f = new Follower([path], {
      pollMs: 60_000,
      partialFlushMs: 60_000,
      from: 'start',
      onLines: async (c) => {
        ends.push(c.end);
        // The firewall writes on while the consumer of the first lines after the truncation is busy, so the
        // same look reads them too (the watcher's store commit is such a consumer).
        if (grow) {
          grow = false;
          appendFileSync(path, `${numbered(200, 52).join('\n')}\n`);
        }
      },
    });
    await f.start();
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, 'line 51\n'); // shorter than a fingerprint
    grow = true;
    await f.round();
    const head = (at: number) => readFileSync(path).subarray(0, Math.min(at, FINGERPRINT_BYTES));
    const last = ends.at(-1)!;
    expect(last.line).toBe(201);
    expect({ fp: last.fp, fpLen: last.fpLen }).toEqual({
      fp: fingerprintOf(head(last.offset)),
      fpLen: FINGERPRINT_BYTES,
    });
    // So does the position a restart would start from.
    const [pos] = f.positions();
    await f.stop();
    expect(pos!.fpLen).toBe(FINGERPRINT_BYTES);
  });

  it('follows new files of a glob, skips compressed rotations and starts old files at their end', async () => {
    writeFileSync(join(dir, 'a.log'), 'old a\n');
    const { f, lines, notices } = collect([join(dir, '*.log*')]);
    await f.start();
    writeFileSync(join(dir, 'b.log'), 'new b\n');
    writeFileSync(join(dir, 'c.log.2.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]));
    writeFileSync(join(dir, 'd.log.1'), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4]));
    appendFileSync(join(dir, 'a.log'), 'more a\n');
    await until(() => lines.length >= 2);
    await sleep(100);
    await f.stop();
    expect(lines.sort()).toEqual(['more a', 'new b']);
    expect(notices.filter((n) => n.kind === 'binary').map((n) => n.path)).toEqual([join(dir, 'd.log.1')]);
  });

  it('follows dir/**/*.log: new files in new subdirectories, compressed ones never, a binary one said once', async () => {
    mkdirSync(join(dir, 'fw', 'edge'), { recursive: true });
    writeFileSync(join(dir, 'fw', 'edge', 'a.log'), 'old a\n');
    writeFileSync(join(dir, 'fw', 'top.log'), 'old top\n');
    writeFileSync(join(dir, 'fw', 'notes.txt'), 'not matched\n');
    const { f, lines, notices } = collect([join(dir, 'fw', '**', '*.log')]);
    await f.start();
    appendFileSync(join(dir, 'fw', 'edge', 'a.log'), 'more a\n');
    appendFileSync(join(dir, 'fw', 'top.log'), 'more top\n');
    // A new subdirectory two levels down, after the start: found by polling.
    mkdirSync(join(dir, 'fw', 'site2', 'core'), { recursive: true });
    writeFileSync(join(dir, 'fw', 'site2', 'core', 'b.log'), 'new b\n');
    // Compressed rotations (real gzip, and by name) and a binary file.
    writeFileSync(join(dir, 'fw', 'site2', 'core', 'b.log.1.gz'), gzipSync('zipped\n'));
    writeFileSync(join(dir, 'fw', 'site2', 'old.log.gz'), gzipSync('zipped\n'));
    writeFileSync(join(dir, 'fw', 'site2', 'old.log.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]));
    writeFileSync(join(dir, 'fw', 'site2', 'core', 'dump.log'), Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 10]));
    await until(() => lines.length >= 3);
    appendFileSync(join(dir, 'fw', 'site2', 'core', 'b.log'), 'more b\n');
    await until(() => lines.length >= 4);
    await sleep(200); // more rounds: the binary file is not reported again
    await f.stop();
    expect(lines.sort()).toEqual(['more a', 'more b', 'more top', 'new b']);
    expect(notices.filter((n) => n.kind === 'binary').map((n) => n.path)).toEqual([
      join(dir, 'fw', 'site2', 'core', 'dump.log'),
    ]);
  });

  it('forgets skipped names whose files are gone once it remembers more than it follows (a year of dated files)', async () => {
    // Binary files under a glob, each skipped and said once; then deleted, as dated files go one a day.
    const binary = Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 10]);
    const many = MAX_FOLLOWED_FILES + 100;
    for (let k = 0; k < many; k++) writeFileSync(join(dir, `fw-${k}.log`), binary);
    const { f, notices } = collect([join(dir, '*.log')]);
    await f.start();
    await until(() => notices.filter((n) => n.kind === 'binary').length >= many);
    expect(f.namesRemembered()).toBe(many);
    for (let k = 1; k < many; k++) rmSync(join(dir, `fw-${k}.log`));
    // Before: every name ever skipped stayed in memory (1,124 here, one more each day for a year).
    await until(() => f.namesRemembered() === 1);
    await sleep(100); // more rounds: the file still there is remembered, not said again
    await f.stop();
    expect(f.namesRemembered()).toBe(1);
    expect(notices.filter((n) => n.kind === 'binary' && n.path === join(dir, 'fw-0.log'))).toHaveLength(1);
  });

  it('skips a UTF-16 file with its own sentence, not as binary, and goes on following the others', async () => {
    writeFileSync(join(dir, 'fw.log'), '');
    const wide = join(dir, 'pfirewall.log');
    writeFileSync(
      wide,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('#Version: 1.5\r\n', 'utf16le')]),
    );
    const { f, lines, notices } = collect([join(dir, '*.log')], { from: 'start' });
    await f.start();
    appendFileSync(join(dir, 'fw.log'), 'after\n');
    await until(() => lines.length >= 1);
    await f.stop();
    expect(lines).toEqual(['after']);
    expect(notices.map((n) => [n.kind, n.path])).toEqual([['utf16', wide]]);
  });

  it('follows a directory argument: files of new subdirectories from their start, rotated copies not as new files', async () => {
    const root = join(dir, 'logs');
    mkdirSync(root);
    writeFileSync(join(root, 'fw.log'), '');
    const { f, lines } = collect([root]);
    await f.start();
    appendFileSync(join(root, 'fw.log'), `${numbered(50).join('\n')}\n`);
    await until(() => lines.length >= 50);
    // logrotate: fw.log -> fw.log.1 (a name the directory follows no more), a dated copy, a new fw.log.
    renameSync(join(root, 'fw.log'), join(root, 'fw.log.1'));
    writeFileSync(join(root, 'fw.log-20261205'), 'a dated copy\n');
    writeFileSync(join(root, 'fw.log'), `${numbered(50, 51).join('\n')}\n`);
    mkdirSync(join(root, 'new', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'new', 'deeper', 'x.log'), 'line x\n');
    writeFileSync(join(root, 'new', 'deeper', 'x.log.2.gz'), gzipSync('zipped\n'));
    await until(() => lines.length >= 101);
    await sleep(300);
    await f.stop();
    // In order per file; the files are read side by side.
    expect(lines.filter((l) => l !== 'line x')).toEqual(numbered(100));
    expect(lines.filter((l) => l === 'line x')).toHaveLength(1);
    expect(lines).toHaveLength(101);
  });

  it('a glob matching the rotated name too follows the renamed file on: late writes read, nothing twice', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, '');
    const { f, lines, notices } = collect([join(dir, 'fw.log*')]);
    await f.start();
    appendFileSync(path, `${numbered(100).join('\n')}\n`);
    await until(() => lines.length >= 100);
    renameSync(path, `${path}.1`);
    writeFileSync(path, `${numbered(100, 101).join('\n')}\n`);
    await until(() => lines.length >= 200);
    await sleep(400); // longer than the 100 ms drain time: still followed under its new name
    appendFileSync(`${path}.1`, `${numbered(10, 201).join('\n')}\n`);
    await until(() => lines.length >= 210);
    await sleep(200);
    await f.stop();
    expect([...lines].sort()).toEqual(numbered(210).sort());
    // Said once, as the rename it is (not as a file resumed from itself).
    expect(notices.filter((n) => n.path.startsWith(path))).toEqual([
      { kind: 'renamed', path, detail: `${path}.1` },
    ]);
  });

  it('a glob matching the copy too: copytruncate while a writer appends, every line once', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, '');
    const { f, lines } = collect([join(dir, 'fw.log*')], { from: 'start' });
    await f.start();
    // The copies are named as logrotate's copytruncate names them, and the glob matches each (read from the
    // start, each copy was every line again: 3,000 lines written, thousands read).
    await writeWhile(path, 3000, 500, (k) => {
      copyFileSync(path, `${path}.${k}`);
      truncateSync(path, 0);
    });
    await until(() => lines.length >= 3000);
    await sleep(400);
    await f.stop();
    expect([...lines].sort()).toEqual(numbered(3000).sort());
  });

  it('holds a partial last line until it is completed, or hands it over after a quiet time', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, '');
    const { f, lines } = collect([path], { from: 'start', partialFlushMs: 300 });
    await f.start();
    appendFileSync(path, 'first half');
    await sleep(100);
    expect(lines).toEqual([]);
    appendFileSync(path, ' second half\nlonely');
    await until(() => lines.length === 1);
    expect(lines).toEqual(['first half second half']);
    await until(() => lines.length === 2, 3000);
    expect(lines[1]).toBe('lonely');
    await f.stop();
  });

  it('resumes from saved positions, also for a file rotated away while stopped, and counts NUL lines as damaged', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, `${numbered(10).join('\n')}\n`);
    const one = collect([path], { from: 'start' });
    await one.f.start();
    await one.f.stop();
    const saved: FilePosition[] = one.f.positions();
    expect(saved[0]!.line).toBe(10);
    appendFileSync(path, 'line 11\nline\0 12\n');
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'line 13\n');
    const two = collect([path], { from: 'end', positions: saved });
    await two.f.start();
    await two.f.stop();
    expect(two.lines).toEqual(['line 11', 'line\0 12', 'line 13']);
    const flawed = two.chunks.flatMap((c) => c.flaws ?? []);
    expect(flawed.map((x) => x.kind)).toEqual(['nul']);
    expect(two.chunks[0]!.firstLine).toBe(11);
  });
});

describe('Follower, sources that go away', () => {
  it('waits for a deleted file and reads it whole when it comes back', async () => {
    const path = join(dir, 'gone.log');
    writeFileSync(path, 'line 1\n');
    const { f, lines, notices } = collect([path], { from: 'start' });
    await f.start();
    rmSync(path);
    await until(() => notices.some((n) => n.kind === 'missing'));
    writeFileSync(path, 'line 2\nline 3\n');
    await until(() => lines.length >= 3);
    await sleep(100);
    await f.stop();
    expect(lines).toEqual(['line 1', 'line 2', 'line 3']);
    // One sentence when it goes, one when it is back: not one per look while it is away.
    expect(notices.map((n) => n.kind)).toEqual(['missing', 'replaced']);
  });

  it.skipIf(process.getuid?.() === 0)(
    'says a file it may not read once, and reads it once it may',
    async () => {
      const path = join(dir, 'locked.log');
      writeFileSync(path, 'line 1\n');
      chmodSync(path, 0);
      const { f, lines, notices } = collect([path], { from: 'start' });
      await f.start();
      await sleep(200);
      chmodSync(path, 0o644);
      await until(() => lines.length >= 1);
      await f.stop();
      expect(notices.map((n) => n.kind)).toEqual(['error']);
      expect(notices[0]!.detail).toMatch(/^permission denied/);
    },
  );

  it('reopens from the committed positions (SIGHUP) without reading a line twice', async () => {
    const path = join(dir, 'hup.log');
    writeFileSync(path, 'line 1\nline 2\n');
    const { f, lines } = collect([path], { from: 'start' });
    await f.start();
    await f.reopen();
    appendFileSync(path, 'line 3\n');
    await until(() => lines.length >= 3);
    await sleep(100);
    await f.stop();
    expect(lines).toEqual(numbered(3));
  });
});

/**
 * Put `text` at `path` in a new file that has inode `ino` (freed just before: ext4 and tmpfs hand a freed inode
 * out again, once the lower free ones are taken): written under other names, each kept, until one gets it, then
 * renamed into place. False when none did.
 */
function createWithInode(path: string, text: string, ino: number): boolean {
  const held: string[] = [];
  try {
    for (let i = 0; i < 500; i++) {
      const tmp = join(dirname(path), `new-${i}.tmp`);
      writeFileSync(tmp, text);
      if (statSync(tmp).ino === ino) {
        renameSync(tmp, path);
        return true;
      }
      held.push(tmp); // kept, so the next file cannot get this inode
    }
    return false;
  } finally {
    for (const h of held) rmSync(h, { force: true });
  }
}

describe('Follower, a new file with the inode of a deleted copytruncate copy', () => {
  for (const glob of [false, true])
    it(`reads it from its start, no line lost (${glob ? 'a glob matching the copy too' : 'the name only'})`, async (ctx) => {
      const path = join(dir, 'fw.log');
      writeFileSync(path, `${numbered(1000).join('\n')}\n`);
      const { f, lines, notices } = collect([glob ? `${path}*` : path], { from: 'start' });
      await f.start();
      await until(() => lines.length >= 1000);
      // copytruncate: the copy is finished from (and, under the glob, followed from its end).
      copyFileSync(path, `${path}.1`);
      truncateSync(path, 0);
      appendFileSync(path, `${numbered(1000, 1001).join('\n')}\n`);
      await until(() => lines.length >= 2000 && notices.some((n) => n.kind === 'copytruncate'));
      await sleep(100);
      // The copy is deleted, the file renamed to its name, and a new file gets the copy's inode.
      const ino = statSync(`${path}.1`).ino;
      rmSync(`${path}.1`);
      // Under the glob the copy is followed: its inode is free once the follower let it go.
      await until(() => !f.positions().some((p) => p.path === `${path}.1`));
      renameSync(path, `${path}.1`);
      if (!createWithInode(path, `${numbered(150, 2001).join('\n')}\n`, ino)) {
        await f.stop();
        ctx.skip('this file system did not hand the freed inode out again');
      }
      await until(() => lines.length >= 2150, 3000).catch(() => {});
      await sleep(200);
      await f.stop();
      expect([...lines].sort()).toEqual(numbered(2150).sort());
    });
});

describe('Follower, rotations while stopped', () => {
  it('finishes a file copied and truncated while stopped from its copy, then reads the new content', async () => {
    const path = join(dir, 'ct.log');
    writeFileSync(path, `${numbered(300).join('\n')}\n`);
    const one = collect([path], { from: 'start' });
    await one.f.start();
    await one.f.stop();
    appendFileSync(path, 'line 301\nline 302\n');
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, 'line 303\n');
    const two = collect([path], { positions: one.f.positions() });
    await two.f.start();
    await two.f.stop();
    expect(two.lines).toEqual(numbered(3, 301));
    expect(two.notices.map((n) => n.kind)).toContain('copytruncate');
  });
});

/** A first follower reads lines 1-10 of fw.log and stops; `rotate` then runs, and a second one resumes. */
async function twice(patterns: (path: string) => string[], rotate: (path: string) => void, n: number) {
  const path = join(dir, 'fw.log');
  writeFileSync(path, `${numbered(10).join('\n')}\n`);
  const one = collect(patterns(path), { from: 'start' });
  await one.f.start();
  await one.f.stop();
  // The checkpoint's time, as the watcher hands it over; file times lag the clock by up to a tick.
  const since = Date.now();
  await sleep(20);
  rotate(path);
  const two = collect(patterns(path), { positions: one.f.positions(), since });
  await two.f.start();
  await until(() => two.lines.length >= n, 3000).catch(() => {});
  await sleep(200);
  await two.f.stop();
  return { path, two };
}

describe('Follower, rotated more than once while stopped', () => {
  /** logrotate's rename rotation: fw.log.N to fw.log.N+1, fw.log to fw.log.1, a new fw.log with `lines`. */
  function rename(path: string, lines: string[]) {
    for (let n = 8; n >= 1; n--)
      for (const ext of ['', '.gz'])
        try {
          renameSync(`${path}.${n}${ext}`, `${path}.${n + 1}${ext}`);
        } catch {
          // no such generation
        }
    renameSync(path, `${path}.1`);
    writeFileSync(path, `${lines.join('\n')}\n`);
  }

  for (const glob of [false, true])
    it(`reads the rest of the saved file, then every newer generation, then the new file (${glob ? "a glob 'fw.log*'" : 'the name'})`, async () => {
      const { path, two } = await twice(
        (p) => [glob ? `${p}*` : p],
        (p) => {
          appendFileSync(p, 'line 11\nline 12\n');
          rename(p, numbered(8, 13));
          rename(p, numbered(10, 21));
        },
        20,
      );
      expect(two.lines).toEqual(numbered(20, 11));
      expect(two.notices.filter((n) => n.kind === 'lost')).toEqual([]);
      expect(two.notices).toContainEqual({ kind: 'between', path, detail: `${path}.1` });
    });

  it('says a compressed generation in between, with its size, and reads the others', async () => {
    const { path, two } = await twice(
      (p) => [p],
      (p) => {
        appendFileSync(p, 'line 11\n');
        rename(p, ['lost 1', 'lost 2']);
        rename(p, numbered(9, 12));
        writeFileSync(`${p}.1.gz`, gzipSync(readFileSync(`${p}.1`)));
        rmSync(`${p}.1`);
        rename(p, numbered(10, 21));
      },
      20,
    );
    expect(two.lines).toEqual(numbered(20, 11));
    const unread = two.notices.filter((n) => n.kind === 'unread');
    expect(unread).toEqual([
      { kind: 'unread', path, detail: `${path}.2.gz (${statSync(`${path}.2.gz`).size} bytes)` },
    ]);
  });

  it('copied and truncated, then rotated by rename: the rest from the copy, then the truncated file, then the new one', async () => {
    const { two } = await twice(
      (p) => [p],
      (p) => {
        appendFileSync(p, 'line 11\nline 12\n');
        copyFileSync(p, `${p}.1`);
        truncateSync(p, 0);
        appendFileSync(p, `${numbered(3, 13).join('\n')}\n`);
        rename(p, numbered(5, 16));
      },
      10,
    );
    expect(two.lines).toEqual(numbered(10, 11));
    // Both files are there: nothing is said to be gone.
    expect(two.notices.map((n) => n.kind)).not.toContain('lost');
  });

  for (const glob of [false, true])
    it(`copied and truncated twice: the rest from the older copy, then the newer copy, then the file (${glob ? "a glob 'fw.log*'" : 'the name'})`, async () => {
      const { two } = await twice(
        (p) => [glob ? `${p}*` : p],
        (p) => {
          appendFileSync(p, 'line 11\nline 12\n');
          copyFileSync(p, `${p}.1`);
          truncateSync(p, 0);
          appendFileSync(p, `${numbered(3, 13).join('\n')}\n`);
          renameSync(`${p}.1`, `${p}.2`);
          copyFileSync(p, `${p}.1`);
          truncateSync(p, 0);
          appendFileSync(p, `${numbered(5, 16).join('\n')}\n`);
        },
        10,
      );
      expect(two.lines).toEqual(numbered(10, 11));
    });
});

describe('Follower, the saved file compressed or deleted while stopped', () => {
  /** As `twice` above, with one pattern: lines 1-10 of fw.log read, the follower stopped, `rotate`, then resumed. */
  const resumeAfter = (pattern: (path: string) => string, rotate: (path: string) => void, n: number) =>
    twice((path) => [pattern(path)], rotate, n);
  /** Rename rotation without compression: fw.log.N to fw.log.N+1, fw.log to fw.log.1, a new fw.log. */
  function rename(path: string, lines: string[]) {
    for (let n = 8; n >= 1; n--)
      try {
        renameSync(`${path}.${n}`, `${path}.${n + 1}`);
      } catch {
        // no such generation
      }
    renameSync(path, `${path}.1`);
    writeFileSync(path, `${lines.join('\n')}\n`);
  }

  for (const glob of [false, true])
    it(`compressed: its lost lines said once with the .gz holding them, the newer generation read, then the new file (${glob ? "a glob 'fw.log*'" : 'the name'})`, async () => {
      const { path, two } = await resumeAfter(
        (p) => (glob ? `${p}*` : p),
        (p) => {
          appendFileSync(p, 'line 11\n');
          rename(p, numbered(9, 12));
          rename(p, numbered(10, 21));
          // logrotate's compress: the saved file (now fw.log.2) becomes fw.log.2.gz, its inode gone.
          writeFileSync(`${p}.2.gz`, gzipSync(readFileSync(`${p}.2`)));
          rmSync(`${p}.2`);
        },
        19,
      );
      // Before: only "gone" was said, and fw.log.1 (lines 12-20, written after the saved file) was never read.
      expect(two.lines).toEqual(numbered(19, 12));
      const said = two.notices.filter((n) => ['lost', 'compressed', 'unread'].includes(n.kind));
      expect(said).toEqual([
        { kind: 'compressed', path, detail: `${path}.2.gz (${statSync(`${path}.2.gz`).size} bytes)` },
      ]);
      expect(two.notices).toContainEqual({ kind: 'between', path, detail: `${path}.1` });
    });

  it('deleted: said lost once, the newer generations read oldest first, an older rotation not read again', async () => {
    const { path, two } = await resumeAfter(
      (p) => p,
      (p) => {
        // A rotation older than the saved file (read before, its time before the checkpoint): never read again.
        writeFileSync(`${p}.1`, 'old 1\nold 2\n');
        const past = (Date.now() - 3_600_000) / 1000;
        utimesSync(`${p}.1`, past, past);
        appendFileSync(p, 'line 11\n');
        rename(p, numbered(4, 12));
        rename(p, numbered(5, 16));
        rename(p, numbered(10, 21));
        // The saved file (now fw.log.3) is deleted; the old one (fw.log.4) is still there.
        rmSync(`${p}.3`);
      },
      19,
    );
    expect(two.lines).toEqual(numbered(19, 12));
    expect(two.notices.filter((n) => ['lost', 'compressed', 'unread'].includes(n.kind))).toEqual([
      { kind: 'lost', path },
    ]);
    expect(two.notices.filter((n) => n.kind === 'between').map((n) => n.detail)).toEqual([
      `${path}.2`,
      `${path}.1`,
    ]);
  });

  it('compressed as xz (not looked into): the rotations compressed since are named as where its lines may be', async () => {
    const { path, two } = await resumeAfter(
      (p) => p,
      (p) => {
        appendFileSync(p, 'line 11\n');
        rename(p, numbered(9, 12));
        rename(p, numbered(10, 21));
        // xz's magic bytes, then anything: only its name and size are known.
        writeFileSync(`${p}.2.xz`, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]));
        rmSync(`${p}.2`);
      },
      19,
    );
    expect(two.lines).toEqual(numbered(19, 12));
    expect(two.notices.filter((n) => ['lost', 'lostAmong', 'compressed', 'unread'].includes(n.kind))).toEqual(
      [{ kind: 'lostAmong', path, detail: `${path}.2.xz (9 bytes)` }],
    );
  });

  it('compressed, and a newer generation compressed too: both named, the plain one read', async () => {
    const { path, two } = await resumeAfter(
      (p) => p,
      (p) => {
        appendFileSync(p, 'line 11\n');
        rename(p, ['lost 1', 'lost 2']);
        rename(p, numbered(9, 12));
        rename(p, numbered(10, 21));
        for (const n of [2, 3]) {
          writeFileSync(`${p}.${n}.gz`, gzipSync(readFileSync(`${p}.${n}`)));
          rmSync(`${p}.${n}`);
        }
      },
      19,
    );
    expect(two.lines).toEqual(numbered(19, 12));
    const size = (name: string) => statSync(name).size.toLocaleString('en-US');
    expect(two.notices.filter((n) => ['lost', 'compressed', 'unread'].includes(n.kind))).toEqual([
      { kind: 'compressed', path, detail: `${path}.3.gz (${size(`${path}.3.gz`)} bytes)` },
      { kind: 'unread', path, detail: `${path}.2.gz (${size(`${path}.2.gz`)} bytes)` },
    ]);
  });
});

describe('Follower, stopped while a file rotated away is still read', () => {
  it('keeps the name the file left in its position; a restart reads its rest, then the new file', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, `${numbered(10).join('\n')}\n`);
    let hold: (() => void) | undefined;
    const held = new Promise<void>((r) => {
      hold = r;
    });
    let holding = false;
    const lines: string[] = [];
    const notices: FollowNotice[] = [];
    const one = new Follower([path], {
      from: 'start',
      pollMs: 20,
      drainMs: 60_000,
      partialFlushMs: 60_000,
      onLines: async (c) => {
        lines.push(...c.lines);
        // The first chunk read under the rotated name waits, as a slow detector makes it wait.
        if (c.path === `${path}.1` && !holding) {
          holding = true;
          await held;
        }
      },
      onNotice: (n) => notices.push(n),
    });
    await one.start();
    await until(() => lines.length >= 10);
    renameSync(path, `${path}.1`);
    writeFileSync(path, '');
    appendFileSync(`${path}.1`, 'line 11\n');
    await until(() => holding);
    // Written to the rotated file while its last lines are handled (more than one read budget): not read yet.
    appendFileSync(
      `${path}.1`,
      `${numbered(5000, 12)
        .map((l) => `${l} ${'x'.repeat(900)}`)
        .join('\n')}\n`,
    );
    appendFileSync(path, `${numbered(3, 5012).join('\n')}\n`);
    const stopped = one.stop();
    hold!();
    await stopped;
    const saved = one.positions();
    expect(saved.find((p) => p.path === `${path}.1`)).toMatchObject({ followed: path, line: 11 });
    const two = collect([path], { positions: saved, since: Date.now() });
    await two.f.start();
    await until(() => two.lines.length >= 5003);
    await sleep(100);
    await two.f.stop();
    // The rest of the rotated file first (the new file waits for it), then the new file.
    expect(two.lines.map((l) => l.split(' x')[0])).toEqual(numbered(5003, 12));
    expect(two.notices.map((n) => n.kind)).not.toContain('lost');
  });
});

describe('Follower, files that came while stopped', () => {
  it('reads a file of a followed directory modified after the checkpoint from its start, an older one from its end', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'a.log'), `${numbered(5).join('\n')}\n`);
    const one = collect([logs], { from: 'start' });
    await one.f.start();
    await one.f.stop();
    const since = Date.now();
    // There before the checkpoint, but not followed then (its time set back): not new, read from its end.
    writeFileSync(join(logs, 'old.log'), 'old 1\n');
    utimesSync(join(logs, 'old.log'), (since - 60_000) / 1000, (since - 60_000) / 1000);
    await sleep(20);
    writeFileSync(join(logs, 'b.log'), `${numbered(5, 6).join('\n')}\n`);
    const two = collect([logs], { positions: one.f.positions(), since });
    await two.f.start();
    await two.f.stop();
    expect(two.lines).toEqual(numbered(5, 6));
  });
});

describe('Follower, saved positions of files that are gone', () => {
  it("says lines were lost only for a file that had bytes after its position (or a checkpoint's, which may have grown)", async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, 'line 1\n');
    const gone = (ino: number, size?: number): FilePosition => ({
      path,
      dev: 1,
      ino,
      fp: fingerprintOf(Buffer.from(`gone ${ino}`)),
      fpLen: 6,
      offset: 600,
      line: 60,
      ...(size === undefined ? {} : { size }),
    });
    // Old rotations a store read to their end (gzipped and deleted since), one it read half of, a checkpoint's.
    const { f, notices } = collect([path], {
      positions: [gone(101, 600), gone(102, 600), gone(103, 1200), gone(104)],
    });
    await f.start();
    await f.stop();
    expect(notices.filter((n) => n.kind === 'lost')).toEqual([
      { kind: 'lost', path },
      { kind: 'lost', path },
    ]);
  });
});

describe('Follower, detection replay inside a file rotated away while stopped', () => {
  /** 100 lines read and saved, a replay point at line 61, then `rotate`; the second follower's chunks. */
  async function replayAfter(rotate: (path: string) => void) {
    const path = join(dir, 'rp.log');
    writeFileSync(path, `${numbered(100).join('\n')}\n`);
    const one = collect([path], { from: 'start' });
    await one.f.start();
    await one.f.stop();
    const saved = one.f.positions();
    const pointOffset = Buffer.byteLength(`${numbered(60).join('\n')}\n`);
    appendFileSync(path, 'line 101\n');
    rotate(path);
    appendFileSync(path, 'line 102\n');
    const two = collect([path], {
      positions: saved,
      replayFrom: new Map([[replayKey(saved[0]!), { offset: pointOffset, line: 60 }]]),
    });
    await two.f.start();
    await until(() => two.lines.length >= 2);
    await two.f.stop();
    return {
      replayed: two.chunks.filter((c) => c.replay).flatMap((c) => c.lines),
      firstReplayed: two.chunks.find((c) => c.replay)?.firstLine,
      lines: two.lines,
    };
  }

  it('renamed: re-reads the rotated file from its replay point (as replay), then reads on', async () => {
    const r = await replayAfter((path) => {
      renameSync(path, `${path}.1`);
      writeFileSync(path, '');
    });
    expect(r.replayed).toEqual(numbered(40, 61));
    expect(r.firstReplayed).toBe(61);
    expect(r.lines).toEqual(['line 101', 'line 102']);
  });

  it('copied and truncated: re-reads the copy from the replay point (as replay), then reads on', async () => {
    const r = await replayAfter((path) => {
      copyFileSync(path, `${path}.1`);
      truncateSync(path, 0);
    });
    expect(r.replayed).toEqual(numbered(40, 61));
    expect(r.lines).toEqual(['line 101', 'line 102']);
  });
});

describe('Follower, a glob matching the rotated name after a restart', () => {
  it('reads the rest of the file under its rotated name before the new file under the old name', async () => {
    const path = join(dir, 'fw.log');
    writeFileSync(path, `${numbered(50).join('\n')}\n`);
    const one = collect([join(dir, 'fw.log*')], { from: 'start' });
    await one.f.start();
    await until(() => one.lines.length >= 50);
    await one.f.stop();
    // While stopped: 5,000 more lines (more than one read), then rotated; the new file gets 3 lines.
    appendFileSync(
      path,
      `${numbered(5000, 51)
        .map((l) => `${l} ${'x'.repeat(900)}`)
        .join('\n')}\n`,
    );
    renameSync(path, `${path}.1`);
    writeFileSync(path, `${numbered(3, 5051).join('\n')}\n`);
    const two = collect([join(dir, 'fw.log*')], { positions: one.f.positions() });
    await two.f.start();
    await until(() => two.lines.length >= 5003);
    await sleep(100);
    await two.f.stop();
    expect(two.lines.map((l) => l.split(' x')[0])).toEqual(numbered(5003, 51));
  });
});

describe('globMatch', () => {
  it('matches *, ?, sets and ranges, and nothing more', async () => {
    const { globMatch } = await import('./follow.js');
    expect(globMatch('*.log', 'kern.log')).toBe(true);
    expect(globMatch('*.log', 'kern.log.1')).toBe(false);
    expect(globMatch('ufw*', 'ufw.log.1')).toBe(true);
    expect(globMatch('fw?.log', 'fw1.log')).toBe(true);
    expect(globMatch('fw?.log', 'fw12.log')).toBe(false);
    expect(globMatch('fw[0-3].log', 'fw2.log')).toBe(true);
    expect(globMatch('fw[!0-3].log', 'fw2.log')).toBe(false);
    expect(globMatch('a*b*c', 'aXbYc')).toBe(true);
    expect(globMatch('*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
  });
});

describe('names with glob characters', () => {
  it('a backslash makes *, ?, [ and ] plain; escapeGlob names exactly one path, literalPath undoes it', async () => {
    const fc = (await import('fast-check')).default;
    const { escapeGlob, globMatch, isGlob, literalPath } = await import('./follow.js');
    expect(globMatch('fw\\[1\\].log', 'fw[1].log')).toBe(true);
    expect(globMatch('fw\\[1\\].log', 'fw1.log')).toBe(false);
    expect(globMatch('fw[1].log', 'fw1.log')).toBe(true);
    expect(globMatch('a\\*', 'a*')).toBe(true);
    expect(globMatch('a\\*', 'ab')).toBe(false);
    expect(isGlob('/var/log/fw\\[1\\].log')).toBe(false);
    expect(isGlob('/var/log/fw[1].log')).toBe(true);
    expect(isGlob('/var/log/a\\\\*')).toBe(true);
    const name = fc.string({
      unit: fc.constantFrom('a', '*', '?', '[', ']', '!', '-', '\\', '.', 'é'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(name, name, (a, b) => {
        const pattern = escapeGlob(a);
        expect(isGlob(pattern)).toBe(false);
        expect(literalPath(pattern)).toBe(a);
        expect(globMatch(pattern, b)).toBe(a === b);
      }),
      { seed: 32, numRuns: 2000 },
    );
  });

  it('a file named fw[1].log that exists is followed as itself, not as the glob that matches fw1.log', async () => {
    const { existsSync } = await import('node:fs');
    const { patternOf } = await import('./follow.js');
    const odd = join(dir, 'fw[1].log');
    const plain = join(dir, 'fw1.log');
    writeFileSync(odd, 'odd one\nodd two\n');
    writeFileSync(plain, 'plain one\n');
    const one = collect([patternOf(odd, existsSync)], { from: 'start' });
    await one.f.start();
    await until(() => one.lines.length >= 2);
    appendFileSync(odd, 'odd three\n');
    appendFileSync(plain, 'plain two\n');
    await until(() => one.lines.length >= 3);
    await sleep(200);
    await one.f.stop();
    expect(one.lines).toEqual(['odd one', 'odd two', 'odd three']);
    // A pattern with the same characters that names no file as it is stays a glob.
    const glob = join(dir, 'fw[12].log');
    const two = collect([patternOf(glob, existsSync)], { from: 'start' });
    await two.f.start();
    await until(() => two.lines.length >= 2);
    await sleep(200);
    await two.f.stop();
    expect(two.lines).toEqual(['plain one', 'plain two']);
    // A name with a backslash before a wildcard character is followed as itself too.
    const slash = join(dir, 'fw\\*.log');
    writeFileSync(slash, 'slash one\n');
    const three = collect([patternOf(slash, existsSync)], { from: 'start' });
    await three.f.start();
    await until(() => three.lines.length >= 1);
    await sleep(200);
    await three.f.stop();
    expect(three.lines).toEqual(['slash one']);
  });
});

describe('namedBy', () => {
  it('names a path by itself, a directory by the files under it and a glob by component, by name only', async () => {
    const { namedBy } = await import('./follow.js');
    const cases: [string, string, boolean][] = [
      ['/var/log/kern.log', '/var/log/kern.log', true],
      ['/var/log/kern.log', '/var/log/kern.log.1', false],
      ['/var/log/kern.log', '/var/log/kern', false],
      ['/var/log/fw', '/var/log/fw/a.log', true],
      ['/var/log/fw/', '/var/log/fw/sub/b.log', true],
      ['/var/log/fw', '/var/log/fw2/a.log', false],
      ['/var/log/*.log', '/var/log/kern.log', true],
      ['/var/log/*.log', '/var/log/kern.log.1', false],
      ['/var/log/*.log', '/var/log/sub/kern.log', false],
      ['/var/log/**/*.log', '/var/log/kern.log', true],
      ['/var/log/**/*.log', '/var/log/a/b/c/kern.log', true],
      ['/var/log/**/*.log', '/var/kern.log', false],
      ['/var/*/fw?.log', '/var/log/fw1.log', true],
      ['/var/*/fw?.log', '/var/log/fw12.log', false],
      ['/var/log/*', '/var/log/.hidden', false],
      ['/var/log/.*', '/var/log/.hidden', true],
      ['/srv/**', '/srv/x/y', true],
      ['/var/log/fw\\[1\\].log', '/var/log/fw[1].log', true],
      ['/var/log/fw\\[1\\].log', '/var/log/fw1.log', false],
      ['/var/log/fw[1].log', '/var/log/fw1.log', true],
      ['/var/lo\\[g\\]/*.log', '/var/lo[g]/a.log', true],
      ['/var/lo\\[g\\]/*.log', '/var/log/a.log', false],
    ];
    for (const [pattern, path, want] of cases)
      expect(namedBy(pattern, path), `${pattern} ${path}`).toBe(want);
    // Relative patterns and paths are taken from the working directory.
    expect(namedBy('logs/*.log', join(process.cwd(), 'logs', 'a.log'))).toBe(true);
    expect(namedBy(join(process.cwd(), 'kern.log'), 'kern.log')).toBe(true);
    // Many `**` against a deep path: no backtracking.
    expect(namedBy(`/a/${'**/'.repeat(40)}z`, `/a/${'b/'.repeat(200)}y`)).toBe(false);
  });
});

describe('checkpoints from before the shared fingerprint', () => {
  it('a position saved with the old 16-character SHA-1 of 256 bytes still resumes the file', async () => {
    const { createHash } = await import('node:crypto');
    const { readFileSync, statSync } = await import('node:fs');
    const path = join(dir, 'old.log');
    const all = numbered(100);
    writeFileSync(path, `${all.join('\n')}\n`);
    const head = readFileSync(path).subarray(0, 256);
    const st = statSync(path);
    const offset = Buffer.byteLength(`${all.slice(0, 60).join('\n')}\n`);
    const saved: FilePosition = {
      path,
      dev: st.dev,
      ino: st.ino,
      fp: createHash('sha1').update(head).digest('hex').slice(0, 16),
      fpLen: 256,
      offset,
      line: 60,
    };
    const { f, lines, notices } = collect([path], { positions: [saved] });
    await f.start();
    await until(() => lines.length >= 40);
    await sleep(100);
    await f.stop();
    expect(lines).toEqual(all.slice(60));
    expect(notices.filter((n) => n.kind !== 'missing')).toEqual([]);
    // From now on the position carries the shared fingerprint (64 hex characters of 1,024 bytes at most).
    expect(f.positions()[0]!.fp).toHaveLength(64);
  });
});

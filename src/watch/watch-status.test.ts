// What `--status` shows per source: bytes behind and lines per second of each file, a file rotated away while it is read to its end.
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { scanLine } from '../../test/support/watch-child.js';
import { testWatcher } from '../../test/support/watcher.js';
import { openProblem } from './follow.js';
import { StateDir } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type SourceStatus = { path: string; lag: number; linesPerSecond: number; rotated?: boolean };

describe('--status per source', () => {
  it('shows each file with its lag in bytes and its lines per second', { timeout: 30_000 }, async () => {
    const log = join(dir, 'fw.log');
    const quiet = join(dir, 'quiet.log');
    writeFileSync(log, '');
    writeFileSync(quiet, '');
    const state = new StateDir(join(dir, 'state'));
    const w = testWatcher({
      files: [log, quiet],
      from: 'start',
      statusMs: 200,
      state,
    });
    await w.start();
    // 100 lines every 100 ms: about 1,000 lines/s.
    let i = 0;
    const samples: SourceStatus[][] = [];
    const until = Date.now() + 3500;
    while (Date.now() < until) {
      appendFileSync(log, `${Array.from({ length: 100 }, () => scanLine(i++)).join('\n')}\n`);
      await sleep(100);
      if (i % 500 === 0) samples.push(((await w.status()).sources ?? []) as SourceStatus[]);
    }
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    // Until the watcher has seen the rename and follows the new file (a poll or two, longer when the machine is busy). Late writes to the renamed
    // file keep it read (a rotated file is let go once quiet): a busy machine could otherwise finish and let it go
    // between two looks, and the look would never see it.
    let afterRotation: SourceStatus[] = [];
    for (const end = Date.now() + 10_000; Date.now() < end; await sleep(20)) {
      appendFileSync(`${log}.1`, `${scanLine(i++)}\n`);
      afterRotation = (await w.status()).sources as SourceStatus[];
      // Both sides of the rotation: the watcher may see the rename a poll before it opens the new file.
      if (afterRotation.some((f) => f.rotated) && afterRotation.some((f) => f.path === log && !f.rotated))
        break;
    }
    await sleep(400); // a status file written with the rates
    const shown = await runCli(['watch', '--status', '--state-dir', state.dir], {
      env: { LANG: 'en_US.UTF-8' },
    });
    const shownZh = await runCli(['watch', '--status', '--state-dir', state.dir], {
      env: { LANG: 'zh_CN.UTF-8' },
    });
    await w.stop();
    const busy = samples.slice(1).map((s) => s.find((f) => f.path === log)!);
    for (const f of busy) {
      expect(f.linesPerSecond).toBeGreaterThan(300);
      expect(f.linesPerSecond).toBeLessThan(3000);
      expect(f.lag).toBeGreaterThanOrEqual(0);
    }
    expect(samples.at(-1)!.find((f) => f.path === quiet)!.linesPerSecond).toBe(0);
    // The renamed file is listed under its new name, marked, until it is read to its end and let go; the new
    // file under the followed name.
    expect(afterRotation.filter((f) => f.path === `${log}.1` && f.rotated).length).toBe(1);
    expect(afterRotation.filter((f) => f.path === log && !f.rotated).length).toBe(1);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/fw\.log {2}offset \d+ of \d+ \(line \d+, \d+ bytes behind, \d+ lines\/s\)/);
    // The lines are weeks old: the newest event's age is also said in days, to one decimal. (It was called the
    // lag; the lag is the bytes not yet read.)
    const lag = /lag \d+ bytes not yet read, newest event (\d+) s ago \(([\d.]+) days?\), rss/.exec(
      shown.out,
    );
    expect(lag, shown.out).not.toBeNull();
    expect(Math.abs(Number(lag![2]) - Number(lag![1]) / 86_400)).toBeLessThanOrEqual(0.05);
    // The same status in Chinese, word for word: no English left but the names of counters.
    expect(shownZh.code).toBe(0);
    expect(shownZh.out).toMatch(/fw\.log {2}偏移 \d+ \/ \d+\(第 \d+ 行,落后 \d+ 字节,每秒 \d+ 行\)/);
    expect(shownZh.out).toMatch(/^pid \d+,状态写于 \S+\(\d+ 秒前\)$/m);
    expect(shownZh.out).toMatch(
      /每秒 \d+ 行,尚有 \d+ 字节未读,最新事件 \d+ 秒前\([\d.]+ 天\),常驻内存 \d+ MB/,
    );
    expect(shownZh.out).toMatch(/^计数:lines \d+, events \d+/m);
    // How long the event loop was held, since start and in the last minute.
    expect(shown.out).toMatch(
      /^event loop held \(no line read, no alert sent meanwhile\): longest \d+ ms since start, \d+ ms in the last minute; \d+ times for 0\.5 s or more$/m,
    );
    expect(shownZh.out).toMatch(
      /^事件循环被占用.*自启动以来最长 \d+ 毫秒,最近一分钟内最长 \d+ 毫秒;0\.5 秒及以上共 \d+ 次$/m,
    );
    for (const english of ['offset', 'lines/s', 'bytes behind', 'newest event', 'status written', 'ago'])
      expect(shownZh.out).not.toContain(english);
  });

  it('shows a file name with control, C1 and bidi characters visibly, and as escapes in JSON', {
    timeout: 30_000,
  }, async () => {
    // A name a user may not have chosen (a directory followed whole). No `[`: a pattern given in process is read as a
    // glob (the CLI names an existing file as itself: patternOf).
    const log = join(dir, 'fw\u001bc\u001b]8;;http:x\u0007\u009b31m\u202eevil\n<b>.log');
    writeFileSync(log, `${scanLine(1)}\n`);
    const state = new StateDir(join(dir, 'state-names'));
    const w = testWatcher({
      files: [log],
      from: 'start',
      statusMs: 100,
      state,
    });
    await w.start();
    try {
      for (const end = Date.now() + 10_000; Date.now() < end; await sleep(50))
        if (((state.readStatus() as { sources?: unknown[] } | undefined)?.sources ?? []).length > 0) break;
      const env = { LANG: 'en_US.UTF-8' };
      const text = await runCli(['watch', '--status', '--state-dir', state.dir], { env });
      const json = await runCli(['watch', '--status', '--json', '--state-dir', state.dir], { env });
      // biome-ignore lint/suspicious/noControlCharactersInRegex: raw controls are what must not be printed
      const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;
      for (const out of [text.out, json.out]) expect(out).not.toMatch(raw);
      expect(text.out).toContain('fw␛c␛]8;;http:x␇<U+009B>31m<U+202E>evil␊<b>.log');
      // The same name, exactly, for a program reading the JSON (C1 and bidi characters were raw bytes before).
      expect(JSON.parse(json.out).sources.map((s: SourceStatus) => s.path)).toEqual([log]);
    } finally {
      await w.stop();
    }
  });

  it('says a file that cannot be read in one sentence', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: x, open '/f'`), { code });
    expect(openProblem(err('EACCES'))).toMatch(/^permission denied: the user fwlens runs as may not read it/);
    expect(openProblem(err('EMFILE'))).toMatch(/^too many open files/);
    expect(openProblem(err('EIO'))).toBe("EIO: x, open '/f'");
  });
});

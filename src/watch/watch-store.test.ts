// `fwlens watch --store` as real processes on a real DuckDB file: SIGKILL at any moment stores no line twice
// and loses none; `query` and `serve` work on the same file while the watcher writes; a locked store; stdin; syslog.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';
import { runCliProcess } from '../../test/support/cli-child.js';
import {
  checkpointLine,
  exited,
  LINES,
  scanLine as line,
  type Run,
  startWatch,
  statusPid,
} from '../../test/support/watch-child.js';
import { testWatcher } from '../../test/support/watcher.js';
import { openDuckDbStore } from '../store/duckdb.js';
import { openStore } from '../store/open.js';
import { LOCK_RETRY_MS, READ_LOCK_WAIT_MS } from '../store/writer-intent.js';
import { StateDir } from './state.js';
import { StoreSink } from './store-sink.js';
import { SyslogReceiver } from './syslog.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the CLI from source to its end. */
const cli = runCliProcess;

/** Counts of the store, read with a read-only instance. */
async function storeCounts(path: string) {
  const store = await openStore(path, { readOnly: true });
  try {
    const one = async (sql: string) => Number((await store.sql(sql)).rows[0]![0]);
    return {
      events: await one('SELECT count(*) FROM events'),
      distinctEventLines: await one('SELECT count(DISTINCT (file_id, line)) FROM events'),
      unparsed: await one('SELECT count(*) FROM unparsed'),
      distinctUnparsedLines: await one('SELECT count(DISTINCT (file_id, line)) FROM unparsed'),
      inputs: await one('SELECT count(*) FROM inputs'),
      maxLine: await one('SELECT max(line) FROM events'),
      findings: await one('SELECT count(*) FROM findings'),
    };
  } finally {
    await store.close();
  }
}

const garbage = (n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => i % 997 === 996).length;

/** The `store` part of a watcher's status file (undefined until it is written). */
type StoreStatus = {
  commits: number;
  opens: number;
  letGo: number;
  holdEnds: number;
  eventsWritten: number;
  engineMemoryBytes?: number;
  engineMemoryPeakBytes?: number;
};
function storeStatus(state: string): StoreStatus | undefined {
  try {
    return JSON.parse(readFileSync(join(state, 'status.json'), 'utf8')).store as StoreStatus;
  } catch {
    return undefined;
  }
}

describe('fwlens watch --store', () => {
  it('SIGKILL at random moments: every line of the log stored exactly once', {
    timeout: 180_000,
  }, async () => {
    const log = join(dir, 'fw.log');
    const state = join(dir, 'state');
    const db = join(dir, 'live.duckdb');
    writeFileSync(log, '');
    const flags = [`--store=${db}`, '--store-every', '1', '--store-batch', '300'];
    const runs: Run[] = [startWatch(log, state, flags)];
    let written = 0;
    const writer = (async () => {
      while (written < LINES) {
        const n = Math.min(120, LINES - written);
        appendFileSync(log, `${Array.from({ length: n }, (_, k) => line(written + k)).join('\n')}\n`);
        written += n;
        await sleep(100);
      }
    })();
    // Four hard kills while lines keep coming, at random moments after the watcher made progress.
    for (const atLeast of [0.15, 0.35, 0.55, 0.75].map((f) => LINES * f)) {
      while (checkpointLine(state) < atLeast) await sleep(20);
      await sleep(Math.random() * 700);
      const r = runs[runs.length - 1]!;
      r.child.kill('SIGKILL');
      expect(await exited(r.child)).toBe(null);
      runs.push(startWatch(log, state, flags));
    }
    await writer;
    const last = runs[runs.length - 1]!;
    while (statusPid(state) !== last.child.pid || checkpointLine(state) < LINES) await sleep(50);
    const status = JSON.parse(readFileSync(join(state, 'status.json'), 'utf8'));
    last.child.kill('SIGTERM');
    expect(await exited(last.child)).toBe(0);
    expect(status.store.location).toBe(db);

    const c = await storeCounts(db);
    const bad = garbage(LINES);
    // Every line once: as an event or as an unparsed line, never twice, none missing.
    expect(c.events).toBe(LINES - bad);
    expect(c.distinctEventLines).toBe(c.events);
    expect(c.unparsed).toBe(bad);
    expect(c.distinctUnparsedLines).toBe(bad);
    expect(c.inputs).toBe(1);
    expect(c.maxLine).toBe(LINES);
    expect(c.findings).toBeGreaterThan(0);
    console.log(
      `kill -9 test: ${runs.length} runs, ${c.events} events + ${c.unparsed} unparsed stored, ${c.findings} findings`,
    );
  });

  it('logrotate by rename, then copytruncate, then a SIGKILL, while lines keep coming: every line stored once', {
    timeout: 180_000,
  }, async () => {
    const rot = join(dir, 'rot');
    mkdirSync(rot);
    const log = join(rot, 'fw.log');
    const state = join(dir, 'state-rot');
    const db = join(dir, 'rot.duckdb');
    writeFileSync(log, '');
    const flags = [`--store=${db}`, '--store-every', '1', '--store-batch', '300'];
    const runs: Run[] = [startWatch(log, state, flags)];
    // The writer rotates between two appends, as logrotate does between two writes of the firewall; the
    // watcher may be anywhere in the file then (its reads are not waited for).
    let written = 0;
    /** The highest line number (IP ID) the store holds now, -1 while it holds none or cannot be opened. */
    const storedUpTo = async () => {
      try {
        const store = await openStore(db, { readOnly: true });
        try {
          return Number((await store.sql('SELECT coalesce(max(ip_id), -1) FROM events')).rows[0]![0]);
        } finally {
          await store.close();
        }
      } catch {
        return -1;
      }
    };
    const rotations: [number, () => Promise<void> | void][] = [
      [
        Math.floor(LINES * 0.3),
        () => {
          renameSync(log, `${log}.1`);
          writeFileSync(log, '');
        },
      ],
      [
        Math.floor(LINES * 0.6),
        async () => {
          // Not before the store holds a line of this content: a content copied and truncated before the
          // watcher stored any of it, then killed, cannot be found again (a known gap, docs/watch.md); under
          // load (test files run side by side) the watcher can be that far behind.
          while ((await storedUpTo()) < Math.floor(LINES * 0.3)) await sleep(50);
          copyFileSync(log, `${log}.2`);
          truncateSync(log, 0);
        },
      ],
    ];
    const writer = (async () => {
      while (written < LINES) {
        const n = Math.min(120, LINES - written);
        appendFileSync(log, `${Array.from({ length: n }, (_, k) => line(written + k)).join('\n')}\n`);
        written += n;
        // The first lines wait for the watcher to have started and stored something.
        while (checkpointLine(state) === 0) await sleep(20);
        while (rotations.length > 0 && written >= rotations[0]![0]) await rotations.shift()![1]();
        await sleep(60);
      }
    })();
    // A hard kill after the copytruncate, and a new watcher that resumes from the checkpoint.
    while (written < LINES * 0.75) await sleep(20);
    await sleep(Math.random() * 500);
    runs[0]!.child.kill('SIGKILL');
    expect(await exited(runs[0]!.child)).toBe(null);
    runs.push(startWatch(log, state, flags));
    await writer;
    const last = runs[1]!;
    const stored = async () => {
      const store = await openStore(db, { readOnly: true });
      try {
        const r = await store.sql('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM unparsed)');
        return Number(r.rows[0]![0]);
      } catch {
        return 0;
      } finally {
        await store.close();
      }
    };
    const deadline = Date.now() + 90_000;
    while (
      Date.now() < deadline &&
      (statusPid(state) !== last.child.pid || (await stored().catch(() => 0)) < LINES)
    )
      await sleep(300);
    last.child.kill('SIGTERM');
    expect(await exited(last.child)).toBe(0);
    const store = await openStore(db, { readOnly: true });
    try {
      const one = async (sql: string) => Number((await store.sql(sql)).rows[0]![0]);
      const bad = garbage(LINES);
      // Each generated line carries its number (the IP ID, or the garbage line's last word): each stored once.
      expect(await one('SELECT count(*) FROM events')).toBe(LINES - bad);
      expect(await one('SELECT count(DISTINCT ip_id) FROM events')).toBe(LINES - bad);
      expect(await one('SELECT min(ip_id) FROM events')).toBe(0);
      expect(await one('SELECT max(ip_id) FROM events')).toBe(LINES - 1);
      expect(await one('SELECT count(*) FROM unparsed')).toBe(bad);
      expect(await one(`SELECT count(DISTINCT regexp_extract(text, '[0-9]+$')) FROM unparsed`)).toBe(bad);
      // Three inputs: the file renamed away, the file under the name until its truncation (finished from its
      // copy), and what was written after the truncation, continued across the restart; each named by its
      // first 1,024 bytes (a truncated file read while it grew was once stored under an empty fingerprint,
      // and the restart began a fourth input).
      expect(await one('SELECT count(*) FROM inputs')).toBe(3);
      expect(await one('SELECT min(fingerprint_bytes) FROM inputs')).toBe(1024);
    } finally {
      await store.close();
    }
    console.log(
      `rotation test: ${runs
        .map((r) => r.err.trim())
        .filter(Boolean)
        .join(' | ')}`,
    );
  });

  it('query works on the DuckDB file while the watcher writes it, and sees the new lines', {
    timeout: 180_000,
  }, async () => {
    const log = join(dir, 'shared.log');
    const state = join(dir, 'state-shared');
    const db = join(dir, 'shared.duckdb');
    writeFileSync(log, `${Array.from({ length: 500 }, (_, k) => line(k)).join('\n')}\n`);
    const run = startWatch(log, state, [`--store=${db}`, '--store-every', '1']);
    const stored = async () => {
      for (;;) {
        const q = await cli(['query', '--store', db, '--sql', 'SELECT count(*) AS n FROM events', '--json']);
        if (q.code === 0) return Number((JSON.parse(q.out) as { n: string }[])[0]!.n);
        await sleep(200);
      }
    };
    while ((await stored().catch(() => 0)) < 499) await sleep(200);
    // More lines while query runs again and again: each answers, and sees them arrive.
    let k = 500;
    const seen: number[] = [];
    for (let round = 0; round < 6; round++) {
      appendFileSync(log, `${Array.from({ length: 200 }, () => line(k++)).join('\n')}\n`);
      const q = await cli(['query', '--store', db, 'top', '--json']);
      expect(q.code, q.err).toBe(0);
      seen.push(await stored());
      await sleep(300);
    }
    expect(seen.at(-1)!).toBeGreaterThan(seen[0]!);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    expect(run.err).not.toMatch(/cannot write the store/);
    const c = await storeCounts(db);
    expect(c.events + c.unparsed).toBe(k);
    expect(c.distinctEventLines).toBe(c.events);
  });

  it('keeps the DuckDB file open from one commit to the next while no other process wants it, and lets go for a query', {
    timeout: 180_000,
  }, async () => {
    const log = join(dir, 'kept.log');
    const state = join(dir, 'state-kept');
    const db = join(dir, 'kept.duckdb');
    writeFileSync(log, `${Array.from({ length: 100 }, (_, k) => line(k)).join('\n')}\n`);
    // A hold of 10 s (the default is 4), so that a query started while the file is held finds it held and asks.
    const run = startWatch(log, state, [`--store=${db}`, '--store-every', '1', '--store-hold', '10']);
    const status = () => storeStatus(state);
    // Lines for a few seconds, no other process: every commit on the one open of the file.
    let k = 100;
    let alone: StoreStatus | undefined;
    for (;;) {
      appendFileSync(log, `${Array.from({ length: 50 }, () => line(k++)).join('\n')}\n`);
      await sleep(500);
      alone = status();
      if (alone && alone.commits >= 4) break;
    }
    // Fewer opens than commits (closing after every commit makes them equal); at most one more than the holds of
    // STORE_HOLD_MS that ended, on a slow machine.
    expect(alone!.opens).toBeLessThan(alone!.commits);
    expect(alone!.opens).toBeLessThanOrEqual(alone!.holdEnds + 1);
    expect(alone!.letGo).toBe(0);
    // What DuckDB says it holds after a commit (its buffers: the open file's blocks at least), beside the heap's
    // live and committed size.
    expect(alone!.engineMemoryBytes).toBeGreaterThan(0);
    expect(alone!.engineMemoryPeakBytes).toBeGreaterThanOrEqual(alone!.engineMemoryBytes!);
    const whole = JSON.parse(readFileSync(join(state, 'status.json'), 'utf8'));
    expect(whole.heapTotalBytes).toBeGreaterThanOrEqual(whole.heapUsedBytes);
    // A query asks for the file (it announces itself as it waits): the watcher lets go, the query answers.
    const q = await cli(['query', '--store', db, '--sql', 'SELECT count(*) AS n FROM events', '--json']);
    expect(q.code, q.err).toBe(0);
    expect(Number((JSON.parse(q.out) as { n: string }[])[0]!.n)).toBeGreaterThanOrEqual(alone!.eventsWritten);
    // More lines: the next commit opens the file again.
    const opened = alone!.opens;
    let after: StoreStatus | undefined;
    for (;;) {
      appendFileSync(log, `${Array.from({ length: 50 }, () => line(k++)).join('\n')}\n`);
      await sleep(500);
      after = status();
      if (after && after.opens > opened && after.commits > alone!.commits + 1) break;
    }
    // Let go because the query asked (its marker), not only because a hold ended.
    expect(after!.letGo).toBeGreaterThanOrEqual(1);
    // An ingest (a cron job) asks for the file as a writer: it gets it too.
    const other = join(dir, 'kept-other.log');
    writeFileSync(other, `${Array.from({ length: 30 }, (_, i) => line(10_000 + i)).join('\n')}\n`);
    const ingested = await cli(['ingest', '--store', db, '--no-detect', other]);
    expect(ingested.code, ingested.err).toBe(0);
    // A reader that does not announce itself (one that may not write in the store's folder): the watcher, idle
    // now, lets go of the file once it held it `--store-hold` (10 s here), within the 15 s a query waits.
    // (Once the watcher holds the file again for the commit of these lines: before, the file is simply free.)
    const reopened = status()!.opens;
    appendFileSync(log, `${Array.from({ length: 20 }, () => line(k++)).join('\n')}\n`);
    while ((status()?.opens ?? 0) <= reopened) await sleep(200);
    const asked = Date.now();
    let quiet: Awaited<ReturnType<typeof openDuckDbStore>> | undefined;
    while (!quiet && Date.now() - asked < READ_LOCK_WAIT_MS)
      quiet = await openDuckDbStore(db, { readOnly: true }).catch(async () => {
        await sleep(LOCK_RETRY_MS);
        return undefined;
      });
    expect(quiet, 'the file was not let go without an announcement').toBeDefined();
    await quiet!.close();
    await sleep(2_500); // the status file is written every 2 s
    expect(status()!.holdEnds).toBeGreaterThanOrEqual(1);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    expect(run.err).not.toMatch(/cannot write the store|in use/);
    const c = await storeCounts(db);
    expect(c.events + c.unparsed).toBe(k + 30);
    expect(c.distinctEventLines).toBe(c.events);
  });

  it('--store-hold: a watcher alone lets go of the DuckDB file after that many seconds of commits, and stores every line', {
    timeout: 120_000,
  }, async () => {
    const log = join(dir, 'hold.log');
    const state = join(dir, 'state-hold');
    const db = join(dir, 'hold.duckdb');
    writeFileSync(log, `${Array.from({ length: 50 }, (_, k) => line(k)).join('\n')}\n`);
    const run = startWatch(log, state, [`--store=${db}`, '--store-every', '1', '--store-hold', '1']);
    let k = 50;
    let s: StoreStatus | undefined;
    for (;;) {
      appendFileSync(log, `${Array.from({ length: 50 }, () => line(k++)).join('\n')}\n`);
      await sleep(500);
      s = storeStatus(state);
      if (s && s.commits >= 10) break;
    }
    // A commit a second and a hold of 1 s: the file is let go every second commit (the hold starts as a commit
    // opens the file and is looked at as each commit ends), ~5 times in 10 commits; a hold of the default 4 s
    // ends at most twice in them. Never because another process asked.
    expect(s!.holdEnds).toBeGreaterThanOrEqual(4);
    expect(s!.opens).toBeGreaterThanOrEqual(s!.holdEnds);
    expect(s!.letGo).toBe(0);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    expect(run.err).not.toMatch(/cannot write the store|in use/);
    const c = await storeCounts(db);
    expect(c.events + c.unparsed).toBe(k);
    expect(c.distinctEventLines).toBe(c.events);
  });

  it('a locked store: one sentence, the watch goes on with its checkpoint held back, then catches up', {
    timeout: 120_000,
  }, async () => {
    const log = join(dir, 'locked.log');
    const state = join(dir, 'state-locked');
    const db = join(dir, 'locked.duckdb');
    writeFileSync(log, `${Array.from({ length: 100 }, (_, k) => line(k)).join('\n')}\n`);
    const run = startWatch(log, state, [`--store=${db}`, '--store-wait', '0', '--store-every', '1']);
    while (checkpointLine(state) < 100) await sleep(50);
    // This process takes the file (the watcher lets go when asked) and holds it: the watcher's commits fail.
    const holder = await openStore(db, { waitMs: 30_000 });
    appendFileSync(log, `${Array.from({ length: 200 }, (_, k) => line(100 + k)).join('\n')}\n`);
    while (!/cannot write the store/.test(run.err)) await sleep(50);
    await sleep(2500);
    expect(run.err.match(/cannot write the store/g)).toHaveLength(1);
    const status = JSON.parse(readFileSync(join(state, 'status.json'), 'utf8'));
    expect(status.counts.lines).toBe(300); // read on
    expect(status.store.waitingEvents).toBe(200);
    expect(status.store.failing).toBeDefined();
    expect(checkpointLine(state)).toBe(100); // held back
    await holder.close();
    while (checkpointLine(state) < 300) await sleep(50);
    expect(run.err).toMatch(/can be written again/);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    const c = await storeCounts(db);
    expect(c.events + c.unparsed).toBe(300);
    expect(c.distinctEventLines + c.distinctUnparsedLines).toBe(300);
  });

  it('a store held by another process at start-up: the watcher waits for it before reading, then reads on from where the store ends', {
    timeout: 120_000,
  }, async () => {
    const log = join(dir, 'held.log');
    const state = join(dir, 'state-held');
    const db = join(dir, 'held.duckdb');
    writeFileSync(log, `${Array.from({ length: 100 }, (_, k) => line(k)).join('\n')}\n`);
    expect((await cli(['ingest', '--store', db, log])).code).toBe(0);
    // Lines written after the ingest, while another process holds the store as the watch starts (--from end):
    // where the store's file ends is what says they are to be read.
    appendFileSync(log, `${Array.from({ length: 50 }, (_, k) => line(100 + k)).join('\n')}\n`);
    const holder = await openStore(db);
    const waiting = /waiting for the store .* before reading: another process holds it/;
    // A stop during the wait ends it at once.
    const first = startWatch(log, state, [`--store=${db}`, '--store-wait', '0', '--from', 'end']);
    while (!waiting.test(first.err)) await sleep(50);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(first.err).not.toMatch(/cannot write the store/);
    const run = startWatch(log, state, [
      `--store=${db}`,
      '--store-wait',
      '0',
      '--store-every',
      '1',
      '--from',
      'end',
    ]);
    while (!waiting.test(run.err)) await sleep(50);
    await sleep(2500);
    expect(run.err.match(new RegExp(waiting, 'g'))).toHaveLength(1);
    appendFileSync(log, `${Array.from({ length: 10 }, (_, k) => line(150 + k)).join('\n')}\n`);
    await holder.close();
    while (checkpointLine(state) < 160) await sleep(50);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    const c = await storeCounts(db);
    expect(c).toMatchObject({ events: 160, distinctEventLines: 160, maxLine: 160, inputs: 1 });
  });

  it('stdin is one input named stdin whose line numbers run on over watches', {
    timeout: 60_000,
  }, async () => {
    const db = join(dir, 'stdin.duckdb');
    for (const from of [0, 40]) {
      const run = startWatch('-', join(dir, 'state-stdin'), [`--store=${db}`]);
      run.child.stdin!.end(`${Array.from({ length: 40 }, (_, k) => line(from + k)).join('\n')}\n`);
      expect(await exited(run.child)).toBe(0);
    }
    const store = await openStore(db, { readOnly: true });
    try {
      const r = await store.sql('SELECT path, lines, events FROM inputs');
      expect(r.rows.map((row) => row.map(String))).toEqual([['stdin', '80', '80']]);
      const lines = await store.sql('SELECT min(line), max(line), count(DISTINCT line) FROM events');
      expect(lines.rows[0]!.map(Number)).toEqual([1, 80, 80]);
    } finally {
      await store.close();
    }
  });

  it('a syslog receiver is one input named after it, with unparsed lines and findings', {
    timeout: 60_000,
  }, async () => {
    const stateDir = join(dir, 'state-syslog');
    const db = join(dir, 'syslog.duckdb');
    const rx = new SyslogReceiver({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      spoolPath: join(stateDir, 'spool', 'syslog.log'),
    });
    const sink = new StoreSink({
      location: db,
      open: () => openStore(db, { waitMs: 5000 }),
      release: true,
      commitMs: 200,
      onProblem: (e) => {
        if (e) throw e;
      },
    });
    const w = testWatcher({
      spools: [rx],
      records: { year: 2026 },
      state: new StateDir(stateDir),
      store: sink,
    });
    await w.start();
    const s = connect(rx.port(), '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    const scan = Array.from(
      { length: 30 },
      (_, i) =>
        `<4>Nov 20 10:01:${String(i).padStart(2, '0')} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.99 DST=192.0.2.10 LEN=40 TTL=245 ID=${i} PROTO=TCP SPT=40000 DPT=${5000 + i} WINDOW=1024 SYN URGP=0`,
    );
    s.write(`${scan.join('\n')}\nnot a firewall line\n`);
    while (w.records.counts.lines < 31 || sink.status().eventsWritten < 30) await sleep(20);
    s.end();
    await w.stop();
    expect(sink.status()).toMatchObject({ eventsWritten: 30, unparsedWritten: 1 });
    const store = await openStore(db, { readOnly: true });
    try {
      const inputs = await store.sql('SELECT path, lines, events, unparsed FROM inputs');
      expect(inputs.rows.map((r) => r.map(String))).toEqual([['syslog:tcp://127.0.0.1:0', '31', '30', '1']]);
      const unparsed = await store.problems(10);
      expect(unparsed).toMatchObject([{ line: 31, kind: 'unrecognized', text: 'not a firewall line' }]);
      expect((await store.findings()).some((f) => f.detector === 'vertical-scan')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('serve answers throughout while the watcher writes the DuckDB file, and shows the new events', {
    timeout: 180_000,
  }, async () => {
    const log = join(dir, 'serve.log');
    const state = join(dir, 'state-serve');
    const db = join(dir, 'serve.duckdb');
    writeFileSync(log, `${Array.from({ length: 300 }, (_, k) => line(k)).join('\n')}\n`);
    const run = startWatch(log, state, [`--store=${db}`, '--store-every', '1']);
    while (
      !/"n":\s*"?(29[0-9]|300)/.test(
        (await cli(['query', '--store', db, '--sql', 'SELECT count(*) AS n FROM events', '--json'])).out,
      )
    )
      await sleep(200);
    const serve = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test', 'support', 'cli-process.ts'),
        'serve',
        '--store',
        db,
        '--port',
        '0',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('serve did not start')), 60_000);
        let text = '';
        serve.stdout!.on('data', (d) => {
          text += d;
          const m = /on (http:\/\/\S+\/)/.exec(text);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
      });
      const meta = async () => {
        const r = await fetch(new URL('/api/meta', url));
        return { status: r.status, events: ((await r.json()) as { span: { events: number } }).span.events };
      };
      let k = 300;
      const statuses: number[] = [];
      const counts: number[] = [];
      const until = Date.now() + 8000;
      while (Date.now() < until) {
        appendFileSync(log, `${Array.from({ length: 50 }, () => line(k++)).join('\n')}\n`);
        const m = await meta();
        statuses.push(m.status);
        counts.push(m.events);
        await sleep(150);
      }
      // Lines stop; the console catches up with the last commit.
      let last = 0;
      for (let i = 0; i < 100 && last !== k - garbage(k); i++) {
        await sleep(200);
        last = (await meta()).events;
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(last).toBe(k - garbage(k));
      expect(counts.at(-1)!).toBeGreaterThan(counts[0]!);
    } finally {
      serve.kill('SIGTERM');
      run.child.kill('SIGTERM');
      expect(await exited(run.child)).toBe(0);
      await exited(serve);
    }
  });

  it('a file ingested before is read on from where the store ends, with its line numbers, also with --from end', {
    timeout: 60_000,
  }, async () => {
    const log = join(dir, 'ingested.log');
    const db = join(dir, 'ingested.duckdb');
    const state = join(dir, 'state-ingested');
    writeFileSync(log, `${Array.from({ length: 100 }, (_, k) => line(k)).join('\n')}\n`);
    // Another file ingested into the same store, which the watcher does not follow: it grows after the ingest,
    // and another is ingested and then removed; neither is the watcher's to read on, find or call lost.
    const other = join(dir, 'other.log');
    const gone = join(dir, 'gone.log');
    writeFileSync(other, `${Array.from({ length: 10 }, (_, k) => line(k)).join('\n')}\n`);
    writeFileSync(gone, `${Array.from({ length: 5 }, (_, k) => line(k)).join('\n')}\n`);
    expect((await cli(['ingest', '--store', db, log, other, gone])).code).toBe(0);
    rmSync(gone);
    appendFileSync(other, `${Array.from({ length: 7 }, (_, k) => line(10 + k)).join('\n')}\n`);
    // Lines that came after the ingest and before the watch: stored too, not skipped by --from end.
    appendFileSync(log, `${Array.from({ length: 20 }, (_, k) => line(100 + k)).join('\n')}\n`);
    const run = startWatch(log, state, [`--store=${db}`, '--store-every', '1', '--from', 'end']);
    while (statusPid(state) !== run.child.pid) await sleep(50);
    appendFileSync(log, `${Array.from({ length: 30 }, (_, k) => line(120 + k)).join('\n')}\n`);
    while (checkpointLine(state) < 150) await sleep(50);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    const c = await storeCounts(db);
    expect(c).toMatchObject({ events: 165, inputs: 3 });
    const store = await openStore(db, { readOnly: true });
    try {
      const per = (
        await store.sql(`SELECT i.path, count(*)::DOUBLE, count(DISTINCT e.line)::DOUBLE, max(e.line)::DOUBLE
        FROM events e JOIN inputs i ON i.id = e.file_id GROUP BY i.path ORDER BY i.path`)
      ).rows;
      // The followed file: every line once, numbered on from the ingest; the other two as ingested.
      expect(per).toEqual([
        [gone, 5, 5, 5],
        [log, 150, 150, 150],
        [other, 10, 10, 10],
      ]);
    } finally {
      await store.close();
    }
    expect(run.err).not.toContain('other.log');
    expect(run.err).not.toContain('gone.log');
  });

  it('--keep bounds the store as the watch writes it, and says what it dropped; it needs --store', {
    timeout: 60_000,
  }, async () => {
    const log = join(dir, 'days.log');
    const db = join(dir, 'days.duckdb');
    const state = join(dir, 'state-days');
    const DAY = 86_400_000;
    const now = Date.now();
    // 40 lines on each of five days before now (4 to 0 days ago): --keep 2d keeps the last two days' worth.
    const lines: string[] = [];
    for (const ago of [4, 3, 2.5, 1, 0])
      for (let k = 0; k < 40; k++) {
        const t = new Date(now - ago * DAY - 3_600_000 + k * 1000).toISOString();
        lines.push(
          `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=40 TTL=245 ID=${lines.length} PROTO=TCP SPT=40000 DPT=${1000 + k} WINDOW=1024 SYN URGP=0`,
        );
      }
    writeFileSync(log, `${lines.join('\n')}\n`);
    const run = startWatch(log, state, [`--store=${db}`, '--store-every', '1', '--keep', '2d']);
    while (checkpointLine(state) < lines.length || !run.err.includes('retention')) await sleep(50);
    const status = JSON.parse(readFileSync(join(state, 'status.json'), 'utf8'));
    // `watch --status` tells it too.
    const shown = await cli(['watch', '--status', '--state-dir', state]);
    expect(shown.out).toMatch(/store retention: last \S+, dropped 120 events, \d+ findings, 0 unparsed/);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    // The three oldest days' 120 lines went, at the first commit, and the watcher said so.
    expect(run.err.replace(/\s+/g, ' ')).toMatch(
      /store .*days\.duckdb: retention: 120 events, \d+ findings? and 0 unparsed lines before \S+ dropped/,
    );
    expect(status.store).toMatchObject({ prunedEvents: 120 });
    const c = await storeCounts(db);
    expect(c.events).toBe(80);
    const store = await openStore(db, { readOnly: true });
    try {
      const oldest = Number((await store.sql('SELECT min(ts)::DOUBLE FROM events')).rows[0]![0]);
      expect(oldest).toBeGreaterThanOrEqual(now - 2 * DAY);
    } finally {
      await store.close();
    }
    // A watcher of a quiet file (no line to commit) still keeps the store within --keep: at its start, then
    // hourly. The store gets the five days again from an ingest of another file.
    const quietLog = join(dir, 'quiet.log');
    writeFileSync(quietLog, '');
    const again = join(dir, 'days-again.log');
    // Other IP ids: another file's content, not the followed file seen again under another name.
    writeFileSync(again, `${lines.map((l) => l.replace(' ID=', ' ID=9')).join('\n')}\n`);
    expect((await cli(['ingest', `--store=${db}`, again])).code).toBe(0);
    expect((await storeCounts(db)).events).toBe(80 + 200);
    const quiet = startWatch(quietLog, join(dir, 'state-quiet'), [`--store=${db}`, '--keep', '2d']);
    while (!quiet.err.includes('retention')) await sleep(50);
    quiet.child.kill('SIGTERM');
    expect(await exited(quiet.child)).toBe(0);
    expect(quiet.err.replace(/\s+/g, ' ')).toMatch(
      /retention: 120 events, \d+ findings? and 0 unparsed lines before/,
    );
    expect((await storeCounts(db)).events).toBe(80 + 80);
    // Without a store there is nothing to bound: one sentence and the usage exit code.
    const alone = await cli(['watch', log, '--keep', '2d']);
    expect(alone.code).toBe(2);
    expect(alone.err).toMatch(
      /--keep and --max-size bound the store the watcher writes: give --store as well/,
    );
    // A value that is not an age or a size: the sentence ingest says, and the usage exit code.
    for (const [flag, value] of [
      ['--keep', 'soon'],
      ['--max-size', 'lots'],
    ] as const) {
      const bad = await cli(['watch', log, `--store=${db}`, flag, value]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain(`${flag}`);
      expect(bad.err).toContain(value);
    }
  });
});

// A real `fwlens watch` child process, killed with SIGKILL mid-stream and restarted: no line lost or read twice, no finding announced twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLI = join(ROOT, 'test', 'support', 'cli-process.ts');
const BASE = Date.UTC(2026, 10, 20, 10, 0, 0);
const SCANNERS = 12;
const LINES = 4800;

/** Line i: even lines from scanner floor(i/400) probing a new port each time, odd lines one-off noise. */
function line(i: number): string {
  const t = new Date(BASE + i * 250).toISOString();
  if (i % 997 === 996) return `${t} edge garbage that no format reads ${i}`;
  const scanner = Math.floor(i / (LINES / SCANNERS));
  const src = i % 2 === 0 ? `203.0.113.${scanner + 1}` : `198.51.100.${(i * 7) % 250}`;
  const dpt = i % 2 === 0 ? 2000 + ((i / 2) % 200) : 80;
  return `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.10 LEN=40 TTL=245 ID=${i} PROTO=TCP SPT=40000 DPT=${dpt} WINDOW=1024 SYN URGP=0`;
}

interface Run {
  child: ChildProcess;
  out: string[];
  err: string;
}

function startWatch(log: string, state: string): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'watch', '--from', 'start', '--state-dir', state, '--poll', '50', '--json', log],
    {
      cwd: ROOT,
      env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const run: Run = { child, out: [], err: '' };
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    run.out.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (d: Buffer) => {
    run.err += d;
  });
  return run;
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) =>
    c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code)),
  );

function checkpointLine(state: string): number {
  try {
    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    return cp.positions[0]?.line ?? 0;
  } catch {
    return 0;
  }
}

function statusPid(state: string): number | undefined {
  try {
    return JSON.parse(readFileSync(join(state, 'status.json'), 'utf8')).pid;
  } catch {
    return undefined;
  }
}

describe('fwlens watch across SIGKILL', () => {
  it('resumes exactly: every line read once, each finding announced once', { timeout: 60_000 }, async () => {
    const log = join(dir, 'fw.log');
    const state = join(dir, 'state');
    writeFileSync(log, '');
    const runs: Run[] = [startWatch(log, state)];
    let written = 0;
    const writer = (async () => {
      while (written < LINES) {
        const n = Math.min(120, LINES - written);
        appendFileSync(log, `${Array.from({ length: n }, (_, k) => line(written + k)).join('\n')}\n`);
        written += n;
        await sleep(150);
      }
    })();
    // Two hard kills while lines keep coming, each once the watcher has checkpointed something new.
    for (const atLeast of [LINES * 0.25, LINES * 0.55]) {
      while (checkpointLine(state) < atLeast) await sleep(20);
      await sleep(Math.random() * 150);
      const r = runs[runs.length - 1]!;
      r.child.kill('SIGKILL');
      expect(await exited(r.child)).toBe(null);
      runs.push(startWatch(log, state));
    }
    await writer;
    const last = runs[runs.length - 1]!;
    // The last run is up (its status names it) and has handled every line.
    while (statusPid(state) !== last.child.pid || checkpointLine(state) < LINES) await sleep(50);
    last.child.kill('SIGTERM');
    expect(await exited(last.child)).toBe(0);

    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    expect(cp.positions).toHaveLength(1);
    expect(cp.positions[0].line).toBe(LINES);
    expect(cp.positions[0].offset).toBe(statSync(log).size);
    // Lines handled over all three runs: fewer would be lines lost, more lines read twice.
    expect(cp.totals.lines).toBe(LINES);

    const docs = runs.flatMap((r) => r.out.map((l) => JSON.parse(l)));
    const news = docs.filter((d) => d.fwlens.alert.kind === 'new');
    const ids = news.map((d) => d.fwlens.alert.id);
    expect(new Set(ids).size).toBe(ids.length);
    const scanNews = news.filter((d) => d.rule.id === 'vertical-scan').map((d) => d.source.ip);
    expect(new Set(scanNews).size).toBe(scanNews.length);
    // Every scanner was announced, whichever run saw it cross its threshold.
    expect(new Set(scanNews)).toEqual(
      new Set(Array.from({ length: SCANNERS }, (_, k) => `203.0.113.${k + 1}`)),
    );
    // The restarts said where they resumed from nothing but their checkpoint: no "lost" notice.
    expect(runs.map((r) => r.err).join('')).not.toMatch(/were not read/);
  });
});

describe('fwlens watch detection across a restart', () => {
  it('re-reads the open window, so a scan split by a restart is still announced', {
    timeout: 30_000,
  }, async () => {
    const log = join(dir, 'split.log');
    const state = join(dir, 'split-state');
    const probe = (k: number) =>
      `${new Date(BASE + k * 1000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.50 DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${3000 + k} WINDOW=1024 SYN URGP=0\n`;
    writeFileSync(log, Array.from({ length: 6 }, (_, k) => probe(k)).join(''));
    const first = startWatch(log, state);
    while (statusPid(state) !== first.child.pid || checkpointLine(state) < 6) await sleep(50);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(first.out).toEqual([]); // six ports: below the threshold of ten
    appendFileSync(log, Array.from({ length: 6 }, (_, k) => probe(6 + k)).join(''));
    const second = startWatch(log, state);
    while (statusPid(state) !== second.child.pid || checkpointLine(state) < 12) await sleep(50);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    const scans = second.out.map((l) => JSON.parse(l)).filter((d) => d.rule.id === 'vertical-scan');
    expect(scans).toHaveLength(1);
    expect(scans[0].fwlens.alert.kind).toBe('new');
    expect(scans[0].fwlens.finding.counts.events).toBe(12);
  });
});

describe('fwlens watch signals', () => {
  it('SIGHUP reopens the files and reads on without repeating; SIGTERM exits 0', {
    timeout: 30_000,
  }, async () => {
    const log = join(dir, 'hup.log');
    const state = join(dir, 'hup-state');
    writeFileSync(log, `${Array.from({ length: 100 }, (_, i) => line(i)).join('\n')}\n`);
    const run = startWatch(log, state);
    while (statusPid(state) !== run.child.pid || checkpointLine(state) < 100) await sleep(50);
    run.child.kill('SIGHUP');
    await sleep(200);
    appendFileSync(log, `${Array.from({ length: 100 }, (_, i) => line(100 + i)).join('\n')}\n`);
    while (checkpointLine(state) < 200) await sleep(50);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    expect(cp.totals.lines).toBe(200);
    expect(run.err).toMatch(/stopped: 200 lines/);
  });
});

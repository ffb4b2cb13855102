// A real `fwlens watch` child process for tests: start it on a log with a state directory, read its checkpoint and status.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../helpers.js';

const CLI = join(ROOT, 'test', 'support', 'cli-process.ts');

/** A running watcher: its process, its stdout lines and its stderr. */
export interface Run {
  child: ChildProcess;
  out: string[];
  err: string;
}

/** Start `fwlens watch --from start --json` on `log` (or `-`: stdin) with `state` as its state directory, and `extra` flags. */
export function startWatch(log: string, state: string, extra: string[] = []): Run {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'watch',
      '--from',
      'start',
      '--state-dir',
      state,
      '--poll',
      '50',
      '--json',
      ...extra,
      log,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' },
      stdio: [log === '-' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
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

/** Wait until `test` holds (checked every 50 ms), at most `ms`: true when it came, false when time ran out. */
export async function waitFor(test: () => boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** The exit code once the process ended (null when a signal ended it). */
export const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) =>
    c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code)),
  );

/** Line number saved for the first file in the checkpoint (0 when there is none yet). */
export function checkpointLine(state: string): number {
  try {
    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    return cp.positions[0]?.line ?? 0;
  } catch {
    return 0;
  }
}

/** Paths of the files in the checkpoint, in its order (none when there is none yet). */
export function checkpointPaths(state: string): string[] {
  try {
    return JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8')).positions.map(
      (p: { path: string }) => p.path,
    );
  } catch {
    return [];
  }
}

/** Pid of the watcher that wrote the status file last. */
export function statusPid(state: string): number | undefined {
  try {
    return JSON.parse(readFileSync(join(state, 'status.json'), 'utf8')).pid;
  } catch {
    return undefined;
  }
}

/** The watch tests' generated log: start time, scanners and length. */
export const BASE = Date.UTC(2026, 10, 20, 10, 0, 0);
export const SCANNERS = 12;
export const LINES = 4800;

/** Line i: even lines from scanner floor(i/400) probing a new port each time, odd lines one-off noise. */
export function scanLine(i: number): string {
  const t = new Date(BASE + i * 250).toISOString();
  if (i % 997 === 996) return `${t} edge garbage that no format reads ${i}`;
  const scanner = Math.floor(i / (LINES / SCANNERS));
  const src = i % 2 === 0 ? `203.0.113.${scanner + 1}` : `198.51.100.${(i * 7) % 250}`;
  const dpt = i % 2 === 0 ? 2000 + ((i / 2) % 200) : 80;
  return `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.10 LEN=40 TTL=245 ID=${i} PROTO=TCP SPT=40000 DPT=${dpt} WINDOW=1024 SYN URGP=0`;
}

// Memory of a long `fwlens watch`: a child fed generated firewall lines on stdin as fast as it reads them, its RSS sampled.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../helpers.js';

const CLI = join(ROOT, 'test', 'support', 'cli-process.ts');
const BASE = Date.UTC(2026, 10, 20, 0, 0, 0);

/**
 * Line i of an endless log, 5 ms of event time apart: half from IPv6 sources never seen before (2001:db8::/32,
 * each a one-off probe), a quarter vertical scans by 203.0.113.x (a new scanner every 4,096 lines), an eighth
 * horizontal sweeps by 198.51.100.x, and one line in 1,000 that no format reads.
 */
export function endlessLine(i: number): string {
  const t = new Date(BASE + i * 5).toISOString();
  if (i % 1000 === 999) return `${t} edge garbage no format reads ${i}`;
  const k = i % 8;
  const ports = [22, 23, 445, 3389, 8080];
  if (k < 4) {
    const src = `2001:db8:${((i >>> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}::1`;
    return `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=2001:db8::10 LEN=80 TC=0 HOPLIMIT=54 FLOWLBL=0 PROTO=TCP SPT=${40000 + (i % 20000)} DPT=${ports[i % 5]} WINDOW=1024 RES=0x00 SYN URGP=0`;
  }
  if (k < 6) {
    const src = `203.0.113.${((i >>> 12) % 250) + 1}`;
    return `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.10 LEN=40 TTL=245 ID=${i & 0xffff} PROTO=TCP SPT=40000 DPT=${1000 + (i % 4000)} WINDOW=1024 SYN URGP=0`;
  }
  const src = `198.51.100.${((i >>> 14) % 250) + 1}`;
  return `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.${(i % 250) + 1} LEN=40 TTL=52 ID=${i & 0xffff} PROTO=TCP SPT=51000 DPT=3389 WINDOW=1024 SYN URGP=0`;
}

/**
 * Line i of a spoofed sweep, 2 ms of event time apart: every packet from an IPv6 source never seen before, to
 * one of 4,096 targets in turn, on ever new ports. The specs that group by target see 4,096 groups that each
 * remember more sources and ports with every round: what the value bound (`maxValuesPerDetector`) is for.
 */
export function wideLine(i: number): string {
  const t = new Date(BASE + i * 2).toISOString();
  const src = `2001:db8:${((i >>> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}::7`;
  const dst = `2001:db8:ffff::${(i % 4096).toString(16)}`;
  return `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=${dst} LEN=80 TC=0 HOPLIMIT=54 FLOWLBL=0 PROTO=TCP SPT=${40000 + (i % 20000)} DPT=${1 + ((i * 7919) % 65535)} WINDOW=1024 RES=0x00 SYN URGP=0`;
}

/**
 * Line i of a forged-source flood, 10 ms of event time apart: every packet from a private (10/8) source never
 * seen before, through the outside interface to a public address on a trojan port (NetBus, 12345). Each packet
 * is a finding of its own twice over (spoofing and trojan probe), all within their cooldowns.
 */
export function spoofedLine(i: number): string {
  const t = new Date(BASE + i * 10).toISOString();
  const src = `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
  return `${t} edge kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00 SRC=${src} DST=203.0.113.10 LEN=40 TOS=0x00 PREC=0x00 TTL=241 ID=${i & 0xffff} PROTO=TCP SPT=${40000 + (i % 20000)} DPT=12345 WINDOW=1024 RES=0x00 SYN URGP=0`;
}

/** One RSS sample of the watcher: seconds since start, RSS bytes, lines it had read by then. */
export interface MemorySample {
  at: number;
  rss: number;
  lines: number;
}

/** What a run measured. */
export interface MemoryRun {
  samples: MemorySample[];
  sent: number;
  /** Lines the watcher said it read (its last status). */
  read: number;
  exitCode: number | null;
  stderr: string;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function linesRead(stateDir: string): number {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')).counts.lines ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Run `fwlens watch -` for `seconds`, writing endless lines to its stdin as fast as it takes them (or at most
 * `maxLines`), sampling its RSS every `sampleMs`; then close stdin and wait for it to exit.
 */
export async function runWatchMemory(opts: {
  seconds: number;
  stateDir: string;
  maxLines?: number;
  sampleMs?: number;
  /** More `fwlens watch` flags (e.g. `--config` with smaller detection bounds). */
  extra?: string[];
  /** Node.js flags for the watcher (e.g. `--max-old-space-size=160`: a leak ends it with an out-of-memory crash). */
  nodeFlags?: string[];
  /** Line i of the input (default `endlessLine`). */
  line?: (i: number) => string;
  onSample?: (s: MemorySample) => void;
}): Promise<MemoryRun> {
  const child = spawn(
    process.execPath,
    [
      ...(opts.nodeFlags ?? []),
      '--import',
      'tsx',
      CLI,
      'watch',
      '--state-dir',
      opts.stateDir,
      '--quiet',
      '--json',
      ...(opts.extra ?? []),
      '-',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' },
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 1 << 16) stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const samples: MemorySample[] = [];
  const started = Date.now();
  const timer = setInterval(() => {
    const s = { at: (Date.now() - started) / 1000, rss: rssOf(child.pid!), lines: linesRead(opts.stateDir) };
    samples.push(s);
    opts.onSample?.(s);
  }, opts.sampleMs ?? 1000);
  const stdin = child.stdin!;
  stdin.on('error', () => {});
  let sent = 0;
  const max = opts.maxLines ?? Number.POSITIVE_INFINITY;
  while (Date.now() - started < opts.seconds * 1000 && sent < max) {
    let chunk = '';
    const line = opts.line ?? endlessLine;
    for (let k = 0; k < 2000 && sent < max; k++) chunk += `${line(sent++)}\n`;
    if (!stdin.write(chunk)) await new Promise((r) => stdin.once('drain', r));
    if (child.exitCode !== null) break;
  }
  clearInterval(timer);
  stdin.end();
  const exitCode = await Promise.race([exited, sleep(60_000).then(() => -1)]);
  if (exitCode === -1) child.kill('SIGKILL');
  return { samples, sent, read: linesRead(opts.stateDir), exitCode, stderr };
}

/** Highest RSS among samples taken in [from, to) seconds. */
export function peakRss(samples: MemorySample[], from: number, to: number): number {
  return Math.max(0, ...samples.filter((s) => s.at >= from && s.at < to).map((s) => s.rss));
}

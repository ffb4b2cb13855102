// Run one command as a child under GNU time: wall seconds and peak RSS, stdout to a file, with a timeout.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

/** GNU time (the `time` Debian package), not the shell keyword: it reports the child's peak RSS. */
export const GNU_TIME = '/usr/bin/time';

/** Process ids of the direct children of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** What one measured command cost. */
export interface Measurement {
  seconds: number;
  peakRssKb: number;
  exitCode: number;
  timedOut: boolean;
  /** Last lines of stderr, for the report when the command failed. */
  stderrTail: string;
}

/**
 * Run `command args` under `/usr/bin/time -f '%e %M'`, stdout to `stdoutPath` (or /dev/null),
 * stderr kept for failures. After `timeoutSeconds` the command is stopped (by id) and its row says so.
 */
export async function measure(
  command: string,
  args: string[],
  opts: { stdoutPath?: string; timeoutSeconds: number; cwd?: string },
): Promise<Measurement> {
  const timeFile = `${opts.stdoutPath ?? '/tmp/fwlens-bench'}.time`;
  const errFile = `${opts.stdoutPath ?? '/tmp/fwlens-bench'}.stderr`;
  rmSync(timeFile, { force: true });
  const out = openSync(opts.stdoutPath ?? '/dev/null', 'w');
  const err = openSync(errFile, 'w');
  const started = process.hrtime.bigint();
  const child = spawn(GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...args], {
    stdio: ['ignore', out, err],
    detached: true,
    cwd: opts.cwd,
  });
  let timedOut = false;
  let lastResort: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    if (!child.pid) return;
    // Stop the measured command, not GNU time, so time still reports its peak RSS up to that point.
    for (const pid of childrenOf(child.pid)) process.kill(pid, 'SIGTERM');
    lastResort = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
  }, opts.timeoutSeconds * 1000);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  clearTimeout(timer);
  clearTimeout(lastResort);
  closeSync(out);
  closeSync(err);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const stats = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)! : '';
  const [seconds, peak] = stats.split(' ').map(Number);
  const stderr = readFileSync(errFile, 'utf8');
  return {
    // GNU time rounds to 10 ms, too coarse for `wc -l` on 100k lines: wall time is our own clock
    // (it adds the ~1 ms fork of /usr/bin/time); GNU time's seconds only when ours is missing.
    seconds: wall > 0 ? wall : (seconds ?? 0),
    peakRssKb: Number.isFinite(peak) ? peak! : 0,
    exitCode,
    timedOut,
    stderrTail: stderr.trim().split('\n').slice(-5).join('\n'),
  };
}

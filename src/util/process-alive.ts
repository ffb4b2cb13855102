// Whether a process id names a running process (markers, locks and status files name the process that wrote them).
import { readFileSync } from 'node:fs';

/** True while the process `pid` exists; one of another user counts (EPERM: it is there, only not ours to signal). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where /proc is read from (tests point it elsewhere). */
let procRoot = '/proc';

/** Read process facts from another directory than /proc (tests); undefined restores /proc. */
export function setProcRoot(root: string | undefined): void {
  procRoot = root ?? '/proc';
}

/**
 * What tells a process apart from a later one given the same pid: the boot id and the process's start time
 * (clock ticks after boot, field 22 of /proc/<pid>/stat), as `bootid:starttime`. Undefined where there is no
 * /proc (macOS, the BSDs) or the process is gone.
 */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces and parentheses itself: the fields
    // after it start after the last ')'. Field 3 (the state) is the first of them, field 22 the 20th.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = rest[19];
    if (start === undefined || !/^\d+$/.test(start)) return undefined;
    const boot = readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').trim();
    return `${boot || '?'}:${start}`;
  } catch {
    return undefined;
  }
}

/**
 * The arguments of process `pid` (/proc/<pid>/cmdline), or undefined where they cannot be read (no /proc,
 * the process gone).
 */
export function processArgs(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8');
    return text.split('\0').filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/**
 * True while the process that wrote `pid` (and `identity`, from `processIdentity` when it wrote it) still runs.
 * A pid that is alive but now belongs to another process (after a reboot, or reused) is not it: its start
 * time or boot differs. Without an identity (written by an older version, or by hand) a process whose
 * arguments do not include `expectArg` is not it either. Where /proc cannot be read, only whether the pid
 * exists is known (kill(pid, 0)).
 */
export function sameProcessAlive(pid: number, identity: string | undefined, expectArg?: string): boolean {
  if (!processAlive(pid)) return false;
  if (identity !== undefined) {
    const now = processIdentity(pid);
    return now === undefined || now === identity;
  }
  if (expectArg === undefined) return true;
  // An empty command line is a kernel thread (or a zombie): no watcher either way.
  const args = processArgs(pid);
  return args === undefined || args.includes(expectArg);
}

// Whether a process id names a running process (markers, locks and status files name the process that wrote them).

/** True while the process `pid` exists; one of another user counts (EPERM: it is there, only not ours to signal). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

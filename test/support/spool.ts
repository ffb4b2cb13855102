// The lines of a spool file a watcher is writing and rotating: read once, with no check before the read
// (a check and a read race with the rename of a rotation), none while the file does not exist.
import { readFileSync } from 'node:fs';

export function spoolLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

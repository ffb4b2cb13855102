// Small JSON state files of the alerter (policy, digest), written atomically: temp file, fsync, rename.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Read a JSON state file; undefined when it is missing or unreadable (a damaged file starts fresh). */
export function readState<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Write a JSON state file so that a crash leaves either the old or the new content, never a mix. */
export function writeState(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, JSON.stringify(value));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    const dir = openSync(dirname(path), 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch (e) {
    throw new Error(`cannot write the alert state file ${path} (${(e as Error).message})`);
  }
}

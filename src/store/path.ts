// Where the default store lives: the user's data directory (XDG), one DuckDB file.
import { closeSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** File name of the default store inside `<data dir>/fwlens/`. */
export const STORE_FILE = 'fwlens.duckdb';

/** The default store path: $XDG_DATA_HOME/fwlens/fwlens.duckdb, else ~/.local/share/fwlens/fwlens.duckdb. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME?.startsWith('/')
    ? env.XDG_DATA_HOME
    : join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'fwlens', STORE_FILE);
}

/** The store a command uses: the path given (`--store PATH`), else the default (`--store` alone or absent). */
export function storePath(given: string | boolean | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return typeof given === 'string' && given !== '' ? given : defaultStorePath(env);
}

/**
 * True when `path` is a non-empty file that is not a DuckDB database (DuckDB writes `DUCK` at byte 8): a log
 * given where a store was meant, as `watch --store fw.log` reads when `--store` takes the next word.
 */
export function isOtherFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(12);
    const n = readSync(fd, head, 0, 12, 0);
    return n > 0 && (n < 12 || head.toString('latin1', 8, 12) !== 'DUCK');
  } catch {
    return false; // missing (a new store) or not readable (opening the store will say so)
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// Where the default store lives: the user's data directory (XDG), one DuckDB file.
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

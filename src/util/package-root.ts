// The fwlens package folder, found from any module (source, compiled or bundled), for files read at run time.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

let version: string | undefined;

/** fwlens' version, read once from its package.json (the one place it is written). */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}

/** The nearest folder above this module holding fwlens' package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"fwlens"/.test(readFileSync(pkg, 'utf8'))) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('fwlens: cannot find its package folder (package.json)');
    dir = up;
  }
}

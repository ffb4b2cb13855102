// Writing a whole report file so that a failure (a full disk) never leaves half a file at its path.
import { chmod, lstat, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Write `data` to `path` through a temporary file beside it, renamed over `path` once complete: the path
 * holds either its old content or the whole new one, and the temporary file is removed when the write
 * fails. A symbolic link is written through (its target replaced, the link kept); anything but a regular
 * file (`/dev/stdout`, a pipe) is written directly.
 */
export async function writeWhole(path: string, data: string | Uint8Array): Promise<void> {
  let target = path;
  const st = await lstat(path).catch(() => undefined);
  if (st?.isSymbolicLink()) target = await realpath(path).catch(() => path);
  const real = target === path ? st : await lstat(target).catch(() => undefined);
  if (real && !real.isFile()) {
    await writeFile(path, data);
    return;
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, data);
    // A report replaced keeps its permissions (one kept private stays private).
    if (real) await chmod(temp, real.mode & 0o7777);
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

// The external programs the benchmark drives: installed from Debian when missing, found on PATH.
import { execFileSync, spawnSync } from 'node:child_process';

/** True when `binary` is on PATH. */
export function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Make sure `binary` exists, installing Debian package `pkg` with apt-get when it does not (root only).
 * Returns undefined when ready, else why not.
 */
export function ensureDebianTool(binary: string, pkg: string): string | undefined {
  if (onPath(binary)) return undefined;
  if (process.getuid?.() !== 0) return `${binary} missing and not root: run apt-get install -y ${pkg}`;
  process.stderr.write(`installing ${pkg} (apt-get install -y ${pkg}) ...\n`);
  const run = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
  });
  if (run.status !== 0 || !onPath(binary))
    return `apt-get install -y ${pkg} failed: ${(run.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`;
  return undefined;
}

/** One line naming the version of a Debian package, for the report header. */
export function debianVersion(pkg: string): string {
  try {
    // dpkg-query field syntax, not a template placeholder.
    return execFileSync('dpkg-query', ['-W', '-f', '$' + '{Version}', pkg], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

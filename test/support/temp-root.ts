// Vitest global setup: every temporary file and folder a test run makes (mkdtemp under os.tmpdir(), the stores,
// logs and ClickHouse data folders of the tests, the CLI runs they start) goes under one folder of its own,
// removed when the run ends, so runs do not leave thousands of folders behind in /tmp.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'fwlens-test-run-'));
  // os.tmpdir() reads TMPDIR on each call; the forked test workers and their child processes inherit it.
  process.env['TMPDIR'] = root;
  return () => {
    rmSync(root, { recursive: true, force: true });
  };
}

// What `fwlens watch` says about lines it cannot use: the last few with their numbers and how many more came,
// and, after a restart, not the same lines again (they are re-read to rebuild detection, not read anew).
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { checkpointLine, exited, scanLine, startWatch, waitFor } from '../../test/support/watch-child.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-unparsed-tell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unparsed lines while watching', () => {
  it('says how many were not shown one by one', async () => {
    const lines = Array.from(
      { length: 30 },
      (_, i) => `Nov 20 10:00:00 edge kernel: another message ${i + 1}`,
    );
    const r = await runCli(['watch', '-', '--state-dir', join(dir, 'count')], {
      stdin: `${lines.join('\n')}\n`,
      env: { LANG: 'en_US.UTF-8' },
    });
    const said = r.err.split('\n').filter(Boolean);
    expect(said).toContain(
      'fwlens: 25 more lines fwlens could not use came meanwhile, not shown one by one; the last five follow (--status counts them all)',
    );
    expect(said.filter((l) => /^fwlens: \(stdin\):\d+: no known firewall log format/.test(l))).toHaveLength(
      5,
    );
  });

  it('are not told again after a restart', { timeout: 60_000 }, async () => {
    const log = join(dir, 'fw.log');
    const odd = 'Nov 20 10:00:03 edge kernel: a line no format reads';
    writeFileSync(log, `${[scanLine(0), scanLine(2), odd, scanLine(4)].join('\n')}\n`);
    const state = join(dir, 'restart');
    const first = startWatch(log, state);
    expect(await waitFor(() => first.err.includes('a line no format reads'))).toBe(true);
    // A checkpoint of all four lines (with its replay point), then a stop.
    expect(await waitFor(() => checkpointLine(state) >= 4)).toBe(true);
    first.child.kill('SIGTERM');
    await exited(first.child);
    const second = startWatch(log, state, ['--from', 'end']);
    appendFileSync(log, `${scanLine(6)}\n`);
    expect(await waitFor(() => checkpointLine(state) >= 5, 30_000), second.err).toBe(true);
    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.err).not.toContain('a line no format reads');
    expect(second.err).toMatch(/stopped: 1 line,/);
  });
});

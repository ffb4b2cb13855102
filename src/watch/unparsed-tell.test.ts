// What `fwlens watch` says about lines it cannot use: the last few with their numbers and how many more came,
// and, after a restart, not the same lines again (they are re-read to rebuild detection, not read anew).
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { exited, scanLine, startWatch } from '../../test/support/watch-child.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-unparsed-tell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(test: () => boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

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
    expect(await until(() => first.err.includes('a line no format reads'))).toBe(true);
    await sleep(2500); // a checkpoint with its replay point
    first.child.kill('SIGTERM');
    await exited(first.child);
    const second = startWatch(log, state, ['--from', 'end']);
    appendFileSync(log, `${scanLine(6)}\n`);
    await sleep(3000);
    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.err).not.toContain('a line no format reads');
    expect(second.err).toMatch(/stopped: 1 line,/);
  });
});

// Long log lines (up to --max-line-bytes) are cut before the detection engine or the report keeps them: the
// engine holds tens of thousands of packets, so whole 60 KB lines would take gigabytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_KEPT_LINE_CHARS } from '../src/util/strings.js';
import { nfLine } from './detect-helpers.js';
import { ROOT, runCli } from './helpers.js';

/**
 * Run a feed of 12,000 lines of ~60 KB (test/support) in a child process under a 160 MB heap: it must finish, and
 * with its heap under the cap. Returns what the feed printed.
 */
function underHeapCap(feed: string, nodeFlags: string[] = []): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=160',
      ...nodeFlags,
      '--import',
      'tsx',
      join(ROOT, 'test', 'support', feed),
      '12000',
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  const out = JSON.parse(r.stdout.trim()) as Record<string, number>;
  expect(out.heapUsed).toBeLessThan(160 * 1048576);
  return out;
}

describe('long log lines', () => {
  it('are cut before the engine holds them: 12,000 one-shot 60 KB lines fit a 160 MB heap', () => {
    const out = underHeapCap('long-lines-feed.ts');
    // The gate did hold thousands of first packets, each with its (cut) line.
    expect(out.held).toBeGreaterThan(5000);
  }, 150_000);

  it("do not stay behind the addresses an event's severity with context remembers: 12,000 fit a 160 MB heap", () => {
    expect(underHeapCap('context-score-feed.ts', ['--expose-gc']).sum).toBe(3 * 12_000);
  }, 150_000);

  it('show as evidence and notable events cut to the bound, with an ellipsis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-long-'));
    const log = join(dir, 'long.log');
    const pad = ` PAD=${'Q'.repeat(20_000)}`;
    // A vertical scan whose every line is 20 KB long.
    const lines = Array.from(
      { length: 30 },
      (_, i) =>
        nfLine({ t: i, src: '198.51.100.77', dst: '203.0.113.10', proto: 'TCP', dpt: 1000 + i * 7 }) + pad,
    );
    // And one probe of a backdoor's port (ingreslock, severity 3), a notable single event.
    lines.push(nfLine({ t: 40, src: '192.0.2.200', dst: '203.0.113.10', proto: 'TCP', dpt: 1524 }) + pad);
    writeFileSync(log, `${lines.join('\n')}\n`);
    const r = await runCli(['analyze', log, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    const scan = report.findings.find((f: { detector: string }) => f.detector === 'vertical-scan');
    expect(scan.evidence.length).toBeGreaterThan(0);
    for (const e of scan.evidence) {
      expect(e.text.length).toBe(MAX_KEPT_LINE_CHARS);
      expect(e.text.endsWith('…')).toBe(true);
      expect(lines[e.line - 1]!.startsWith(e.text.slice(0, -1))).toBe(true);
    }
    const backdoor = report.notable.find((n: { line: number }) => n.line === 31);
    expect(backdoor.raw.length).toBe(MAX_KEPT_LINE_CHARS);
    expect(backdoor.raw.endsWith('…')).toBe(true);
    expect(backdoor.event['destination.port'] ?? backdoor.event.destination?.port).toBe(1524);
  }, 60_000);
});

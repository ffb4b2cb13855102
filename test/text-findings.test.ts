// The terminal report's entry for a finding: what it shows in its few lines agrees with its header.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

/** The bundled sample's lines from one source. */
function sampleLinesFrom(src: string): string {
  return readFileSync(join(ROOT, 'examples', 'sample.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes(`SRC=${src} `))
    .join('\n');
}

/** The lines of the terminal entry whose header names `title`, up to its advice. */
function entry(out: string, title: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.includes(title));
  const end = lines.findIndex((l, i) => i > start && l.trimStart().startsWith('advice:'));
  return lines.slice(start, end);
}

describe('terminal finding entries', () => {
  it('a finding of two episodes shows the packet count of its header, not only the strongest episode', async () => {
    // ingreslock probes on Nov 20 (3 SYNs) and Nov 22 (2 SYNs): one finding of 5 events.
    const r = await runCli(['analyze', '-'], { stdin: `${sampleLinesFrom('198.51.100.24')}\n` });
    expect(r.code).toBe(0);
    const [, header, ...told] = entry(r.out, 'ingreslock');
    expect(header).toContain('5 events');
    expect(told.join(' ')).toContain('5 packets in all');
  });
});

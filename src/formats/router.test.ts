// One router for every reader: a declining best guess hands the record to the next format, and `explain`
// of a line gives the event `analyze` gives for it, on every fixture line of every format.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestText, ROOT } from '../../test/helpers.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { makeContext } from './envelope/time.js';
import { FORMATS } from './index.js';
import { FormatRouter } from './router.js';
import type { LogFormat } from './types.js';

function stub(id: string, score: number, claims: boolean): LogFormat {
  return {
    id,
    label: id,
    description: id,
    example: '',
    fields: [],
    detect: () => score,
    createParser: () => () => (claims ? { format: id, action: 'deny', direction: 'inbound' } : null),
  };
}

describe('format router', () => {
  it('tries the next best format when the best guess declines, then prefers the one that matched', () => {
    const ctx = makeContext(Date.now());
    const router = new FormatRouter(ctx, [stub('a', 0.9, false), stub('b', 0.5, true), stub('c', 0, true)]);
    const env = { envelope: 'bare', message: 'x' };
    expect(router.route(env)?.format.id).toBe('b');
    expect(router.route(env)?.format.id).toBe('b');
    expect(new FormatRouter(ctx, [stub('a', 0.9, false), stub('c', 0, true)]).route(env)).toBeNull();
  });

  it('gives explain the event analyze gives, for every line of every format’s fixtures', async () => {
    const fixtures = join(ROOT, 'test', 'fixtures');
    let compared = 0;
    for (const format of FORMATS) {
      // Captures are binary; mapped needs its mapping file; multi-line JSON documents are not lines.
      if (['pcap', 'mapped'].includes(format.id)) continue;
      for (const file of readdirSync(join(fixtures, format.id))) {
        if (!/\.(log|txt|csv)$/.test(file) || file === 'reject.log') continue;
        const text = readFileSync(join(fixtures, format.id, file), 'utf8');
        const { events } = await ingestText(text, { year: 2026 });
        // A record of several flows: the first stands for the line (as explain shows it).
        const byLine = new Map<number | undefined, (typeof events)[number]>();
        for (const ev of events) if (!byLine.has(ev.line)) byLine.set(ev.line, ev);
        text.split('\n').forEach((line, i) => {
          const ev = byLine.get(i + 1);
          if (ev === undefined) return;
          const one = parseOneLine(line, makeContext(Date.now(), { year: 2026 }));
          // Formats whose columns a header line declares (AWS custom flow logs, W3C, Zeek TSV) or whose
          // records span lines (nftables trace) cannot read a line alone; every line that does give an
          // event must give analyze's.
          if (one === null || 'error' in one || 'skip' in one) return;
          expect(one, `${format.id}/${file}:${i + 1}`).toEqual({ ...ev, file: undefined, line: undefined });
          compared++;
        });
      }
    }
    expect(compared).toBeGreaterThan(500);
  }, 60_000);
});

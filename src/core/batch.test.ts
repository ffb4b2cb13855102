// The adapter: every event of every format's fixtures goes into a column row and comes back unchanged (TCP
// flags in the kernel's order), so the columnar core loses no field of any format.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, ROOT } from '../../test/helpers.js';
import { FORMATS } from '../formats/index.js';
import { appendEvent, canonicalFlags, Dictionary, EventBatch, eventAt } from './batch.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

describe('column batch adapter', () => {
  // `mapped` events need a mapping file per fixture; they are built by the same FwEvent code as the others.
  for (const format of FORMATS.filter((f) => f.id !== 'mapped'))
    it(`keeps every field of ${format.id} events`, async () => {
      const dir = join(FIXTURES, format.id);
      const files = readdirSync(dir)
        .filter((f) => !f.endsWith('.json') && !f.endsWith('.md') && !f.endsWith('.yaml'))
        .map((f) => join(dir, f));
      const { events } = await ingestFiles(files, {
        year: 2026,
        format: format.id === 'mapped' ? 'auto' : format.id,
      });
      const batch = new EventBatch(new Dictionary(), Math.max(1, events.length));
      events.forEach((ev, i) => {
        expect(appendEvent(batch, ev, 0, ev.line ?? i + 1)).toBe(i);
      });
      expect(batch.length).toBe(events.length);
      events.forEach((ev, i) => {
        const want = { ...ev, line: ev.line ?? i + 1 };
        delete want.file;
        if (want.tcpFlags) want.tcpFlags = canonicalFlags(want.tcpFlags);
        expect(eventAt(batch, i)).toEqual(want);
      });
    });

  it('starts every row empty, also in a reused batch', () => {
    const batch = new EventBatch(new Dictionary(), 2);
    appendEvent(
      batch,
      {
        format: 'netfilter',
        action: 'deny',
        direction: 'inbound',
        sourceIp: '2001:db8::1',
        ttl: 64,
        tcpFlags: ['SYN'],
      },
      0,
      1,
    );
    batch.clear();
    appendEvent(batch, { format: 'netfilter', action: 'log', direction: 'unknown' }, 0, 2);
    expect(eventAt(batch, 0)).toEqual({ format: 'netfilter', action: 'log', direction: 'unknown', line: 2 });
  });
});

// The events' fast JSON lines agree with the readable mapping (eventRow of eventAt) on every fixture; rows come back as parsed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEvent, canonicalFlags, Dictionary, EventBatch, eventAt } from '../../core/batch.js';
import type { FwEvent } from '../../event.js';
import { ingest } from '../../ingest/pipeline.js';
import { CONTRACT_FIXTURES } from '../contract.js';
import {
  appendEventLines,
  EVENT_INSERT_COLUMNS,
  EVENT_READ_COLUMNS,
  eventRow,
  partitionDay,
  rowEvent,
  tsvString,
  tsvValue,
} from './rows.js';

const FIX = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures');

describe('events as ClickHouse rows', async () => {
  const events: FwEvent[] = [];
  await ingest(
    CONTRACT_FIXTURES.map((f) => ({ path: join(FIX, f) })),
    { onEvent: (ev) => events.push(ev) },
  );
  const batch = new EventBatch(new Dictionary(), events.length + 1);
  for (const ev of events) appendEvent(batch, ev, 0, ev.line ?? 0);

  it('the fast lines equal the readable rows, column for column, on every fixture event', () => {
    expect(events.length).toBeGreaterThan(50);
    const lines: string[] = [];
    const next = appendEventLines(lines, batch, 0, batch.length, 7, '123456789012345678', 10);
    expect(next).toBe(10 + batch.length);
    expect(lines.length).toBe(batch.length);
    for (let r = 0; r < batch.length; r++) {
      const want = eventRow(eventAt(batch, r), 7, '123456789012345678', 10 + r);
      expect(lines[r]!.endsWith('\n')).toBe(true);
      const fields = lines[r]!.slice(0, -1).split('\t').map(tsvValue);
      expect(Object.fromEntries(EVENT_INSERT_COLUMNS.map((c, i) => [c, fields[i]]))).toEqual(
        Object.fromEntries(EVENT_INSERT_COLUMNS.map((c) => [c, want[c] === null ? null : String(want[c])])),
      );
    }
  });

  it('TabSeparated strings: tab, line ends, NUL and backslash escaped; hostile text reads back as itself', () => {
    for (const v of [
      'plain',
      'a\tb\nc\rd\u0000e\\f',
      '\\N',
      "'; DROP TABLE events; --",
      '\u001b[2J',
      '中文😀',
    ])
      expect(tsvValue(tsvString(v))).toBe(v);
    expect(tsvString('a\tb')).toBe('a\\tb');
  });

  it('a row read back is the event again (flags in the kernel order)', () => {
    for (let r = 0; r < batch.length; r++) {
      const row = eventRow(eventAt(batch, r), 1, '1', r) as Record<string, unknown>;
      const read = Object.fromEntries(EVENT_READ_COLUMNS.map((c) => [c, row[c] ?? null]));
      const want = { ...events[r]!, file: 'x.log' };
      if (want.tcpFlags) want.tcpFlags = canonicalFlags(want.tcpFlags);
      expect(JSON.parse(JSON.stringify(rowEvent(read as never, 'x.log')))).toEqual(
        JSON.parse(JSON.stringify(want)),
      );
    }
  });

  it('the partition day: none and before 1970 in 1970-01-01, far future clamped into both servers’ Date range', () => {
    expect(partitionDay(undefined)).toBe('1970-01-01');
    expect(partitionDay(-5)).toBe('1970-01-01');
    expect(partitionDay(Date.parse('2026-11-21T23:59:59.999Z'))).toBe('2026-11-21');
    expect(partitionDay(Date.parse('9999-01-01T00:00:00Z'))).toBe('2105-12-31');
  });
});

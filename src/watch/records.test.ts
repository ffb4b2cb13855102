// The watcher's line reader over months: a year-less stamp is read against the clock as it is when the line
// comes, so a watch started in December reads January's lines into the new year.
import { describe, expect, it } from 'vitest';
import { RecordReader } from './records.js';

/** A ufw line stamped `stamp` (RFC 3164: no year). */
const ufw = (stamp: string, id: number) =>
  `${stamp} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40 TTL=245 ID=${id} PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 SYN URGP=0`;

/** Times of the events the reader makes of `lines`, read at `clock()`. */
function times(reader: RecordReader, lines: string[], first: number): string[] {
  const out: string[] = [];
  reader.read('/var/log/kern.log', lines, undefined, first, (ev) =>
    out.push(new Date(ev.timestamp!).toISOString()),
  );
  return out;
}

describe('RecordReader, year-less stamps of a live source', () => {
  it('reads them against the clock when they come: across New Year and months later, one source throughout', () => {
    let clock = Date.UTC(2026, 11, 31, 23, 59, 59);
    const reader = new RecordReader({}, () => clock);
    expect(times(reader, [ufw('Dec 31 23:59:58', 1)], 1)).toEqual(['2026-12-31T23:59:58.000Z']);
    clock = Date.UTC(2027, 0, 2, 0, 0, 10);
    // A late December line and a January one, read in January: each in its own year.
    expect(times(reader, [ufw('Dec 31 23:59:59', 2), ufw('Jan  2 00:00:05', 3)], 2)).toEqual([
      '2026-12-31T23:59:59.000Z',
      '2027-01-02T00:00:05.000Z',
    ]);
    clock = Date.UTC(2027, 6, 1, 12);
    expect(times(reader, [ufw('Jul  1 11:59:00', 4)], 4)).toEqual(['2027-07-01T11:59:00.000Z']);
    expect(reader.counts.events).toBe(4);
  });

  it('reads the first lines of a new year into it while the clock is still in the old one (a zone east of UTC, a clock ahead)', () => {
    // Berlin's New Year is 23:00 UTC: at 23:10 UTC its first lines come stamped "Jan  1 00:0x" local time.
    let clock = Date.UTC(2026, 11, 31, 23, 10);
    const berlin = new RecordReader({ timeZone: 'Europe/Berlin' }, () => clock);
    expect(times(berlin, [ufw('Dec 31 23:59:59', 1), ufw('Jan  1 00:00:01', 2)], 1)).toEqual([
      '2026-12-31T22:59:59.000Z',
      '2026-12-31T23:00:01.000Z',
    ]);
    // A fixed offset nine hours ahead: its whole first morning comes before midnight UTC.
    clock = Date.UTC(2026, 11, 31, 20);
    const tokyo = new RecordReader({ utcOffsetMinutes: 9 * 60 }, () => clock);
    expect(times(tokyo, [ufw('Jan  1 04:59:00', 3)], 3)).toEqual(['2026-12-31T19:59:00.000Z']);
    // A sender whose clock runs ten seconds ahead of this one.
    clock = Date.UTC(2026, 11, 31, 23, 59, 55);
    const utc = new RecordReader({}, () => clock);
    expect(times(utc, [ufw('Jan  1 00:00:05', 4)], 4)).toEqual(['2027-01-01T00:00:05.000Z']);
    // Mid-year nothing moves: a line stamped a day ahead stays in this year, as before.
    clock = Date.UTC(2027, 5, 1, 12);
    expect(times(utc, [ufw('Jun  2 12:00:00', 5)], 5)).toEqual(['2027-06-02T12:00:00.000Z']);
  });

  it('keeps the year given with --year', () => {
    let clock = Date.UTC(2026, 11, 31, 23, 59, 59);
    const reader = new RecordReader({ year: 2026 }, () => clock);
    expect(times(reader, [ufw('Dec 31 23:59:58', 1)], 1)).toEqual(['2026-12-31T23:59:58.000Z']);
    clock = Date.UTC(2027, 0, 2);
    expect(times(reader, [ufw('Jan  2 00:00:05', 2)], 2)).toEqual(['2026-01-02T00:00:05.000Z']);
  });
});

describe('RecordReader, impossible stamps', () => {
  it('counts a line stamped with no real date and time as unparsed, with its line and reason', () => {
    const reader = new RecordReader({}, () => Date.UTC(2026, 11, 7, 6));
    // Before: `Feb 30` was read as 2 March and `Dec 99 99:99:99` as an event without a time.
    const got = times(
      reader,
      [ufw('Feb 30 05:10:00', 1), ufw('Dec 99 99:99:99', 2), ufw('Dec  7 05:10:00', 3)],
      1,
    );
    expect(got).toEqual(['2026-12-07T05:10:00.000Z']);
    expect(reader.counts).toMatchObject({ events: 1, malformed: 2 });
    expect(reader.unparsed.map((u) => [u.line, u.reason])).toEqual([
      [1, 'time stamp Feb 30 05:10:00 is no real date and time'],
      [2, 'time stamp Dec 99 99:99:99 is no real date and time'],
    ]);
  });
});

// Named time zones (--tz Europe/Berlin): daylight saving read from Intl, the repeated hour read in log
// order and counted, the skipped hour read with the offset before the change; and through the CLI.
import { describe, expect, it } from 'vitest';
import { ingestText, runCli } from '../../../test/helpers.js';
import { localTime, makeContext, ZoneClock } from './time.js';

const iso = (t: number) => new Date(t).toISOString();

/** Berlin, 2026-10-25 (03:00 CEST becomes 02:00 CET): 01:59, 02:10, 02:50, then 02:05, 02:40, 03:10, in UTC. */
const FALL_BACK_UTC = [
  '2026-10-24T23:59:00.000Z',
  '2026-10-25T00:10:00.000Z',
  '2026-10-25T00:50:00.000Z',
  '2026-10-25T01:05:00.000Z',
  '2026-10-25T01:40:00.000Z',
  '2026-10-25T02:10:00.000Z',
];

describe('zone clock', () => {
  it('knows summer and winter time', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    expect(iso(berlin.epoch(2026, 0, 15, 12, 0, 0, 0))).toBe('2026-01-15T11:00:00.000Z');
    expect(iso(berlin.epoch(2026, 6, 15, 12, 0, 0, 0))).toBe('2026-07-15T10:00:00.000Z');
    expect(iso(new ZoneClock('Asia/Shanghai').epoch(2026, 6, 15, 12, 0, 0, 0))).toBe(
      '2026-07-15T04:00:00.000Z',
    );
    expect(berlin.ambiguous).toBe(0);
  });

  it('reads the hour repeated when daylight saving ends in log order, and counts it', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    // 2026-10-25: 03:00 CEST becomes 02:00 CET; the log passes 02:xx twice.
    const wall: [number, number][] = [
      [1, 59],
      [2, 10],
      [2, 50],
      [2, 5],
      [2, 40],
      [3, 10],
    ];
    expect(wall.map(([h, m]) => iso(berlin.epoch(2026, 9, 25, h, m, 0, 0)))).toEqual(FALL_BACK_UTC);
    expect(berlin.ambiguous).toBe(4);
  });

  it('reads a time skipped when daylight saving starts with the offset in force before', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    expect(iso(berlin.epoch(2026, 2, 29, 2, 30, 0, 0))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(berlin.epoch(2026, 2, 29, 3, 30, 0, 0))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('is what every zone-less stamp goes through when the context has a zone', () => {
    const ctx = makeContext(Date.now(), { year: 2026, timeZone: 'America/New_York' });
    expect(iso(localTime(ctx, 2026, 6, 4, 12, 0, 0))).toBe('2026-07-04T16:00:00.000Z');
    expect(iso(localTime(makeContext(Date.now(), { utcOffsetMinutes: 480 }), 2026, 6, 4, 12, 0, 0))).toBe(
      '2026-07-04T04:00:00.000Z',
    );
  });
});

const UFW =
  'edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TTL=51 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1 SYN';
const FALL_BACK = ['01:59:00', '02:10:00', '02:50:00', '02:05:00', '02:40:00', '03:10:00']
  .map((t) => `Oct 25 ${t} ${UFW}`)
  .join('\n');

describe('--tz with a zone name', () => {
  it('reads syslog stamps across the fall-back change in UTC and says how many were ambiguous', async () => {
    const { events, stats } = await ingestText(FALL_BACK, { year: 2026, timeZone: 'Europe/Berlin' });
    expect(events.map((e) => iso(e.timestamp!))).toEqual(FALL_BACK_UTC);
    expect(stats.inputs[0]!.ambiguousTimes).toBe(4);
  });

  it('takes zone names and offsets on the command line, and refuses anything else in one sentence', async () => {
    const json = await runCli(['analyze', '-', '--json', '--year', '2026', '--tz', 'Europe/Berlin'], {
      stdin: FALL_BACK,
    });
    const report = JSON.parse(json.out);
    expect(report.span).toMatchObject({
      first: '2026-10-24T23:59:00.000Z',
      last: '2026-10-25T02:10:00.000Z',
    });
    expect(report.inputs[0].ambiguousTimes).toBe(4);
    const text = await runCli(['analyze', '-', '--year', '2026', '--tz', 'europe/berlin'], {
      stdin: FALL_BACK,
    });
    expect(text.out).toContain('4 stamps fell in the hour repeated when daylight saving time ended');
    const zh = await runCli(['analyze', '-', '--lang', 'zh', '--year', '2026', '--tz', 'Europe/Berlin'], {
      stdin: FALL_BACK,
    });
    expect(zh.out).toContain('4 个时间戳落在夏令时结束时重复的那一小时内');
    const offset = await runCli(['analyze', '-', '--json', '--year', '2026', '--tz', '+02:00'], {
      stdin: FALL_BACK,
    });
    expect(JSON.parse(offset.out).span.last).toBe('2026-10-25T01:10:00.000Z');
    for (const bad of ['Mars/Olympus', '+25:00', 'Europe/../etc'])
      expect(await runCli(['analyze', '-', '--tz', bad], { stdin: FALL_BACK })).toMatchObject({
        code: 2,
        err: expect.stringMatching(/^fwlens: --tz takes a time zone name such as Europe\/Berlin/),
      });
  });
});

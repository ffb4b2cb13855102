// Each envelope on its own: what it strips, the time it reads, and year inference for RFC 3164.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../types.js';
import { createEnvelopeReader, MAX_RELAY_HEADERS, PENDING } from './index.js';
import { makeContext, realDay } from './time.js';

const CTX = makeContext(Date.UTC(2026, 10, 25, 12, 0, 0));
const PAYLOAD = 'IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40 PROTO=TCP SPT=1 DPT=2';

function one(line: string, ctx = CTX): Envelope {
  const env = createEnvelopeReader(ctx).push(line);
  if (env === null || env === PENDING) throw new Error('no envelope');
  return env;
}
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('envelopes', () => {
  it('RFC 3164 with host and kernel tag, stripping the [uptime] stamp', () => {
    const env = one(`Nov 25 16:46:39 vm kernel: [ 5916.458488] NFT-PING: ${PAYLOAD}`);
    expect(env).toMatchObject({
      envelope: 'rfc3164',
      host: 'vm',
      program: 'kernel',
      message: `NFT-PING: ${PAYLOAD}`,
    });
    expect(iso(env.timestamp)).toBe('2026-11-25T16:46:39.000Z');
  });

  it('keeps the fraction of BSD stamps that share their first 15 characters (pflog via tcpdump)', () => {
    const reader = createEnvelopeReader(CTX);
    const stamps = [
      'Nov 24 11:20:01.104233 host a',
      'Nov 24 11:20:01.204871 host b',
      'Nov 24 11:20:01 host c',
      'Nov 24 11:20:01.5 host d',
    ].map((l) => iso((reader.push(l) as Envelope).timestamp));
    expect(stamps).toEqual([
      '2026-11-24T11:20:01.104Z',
      '2026-11-24T11:20:01.204Z',
      '2026-11-24T11:20:01.000Z',
      '2026-11-24T11:20:01.500Z',
    ]);
  });

  it('RFC 3164 without host, single-digit day, and a printk caller id', () => {
    const env = one(`Mar 8 22:35:42 kernel: [17748.074339][    C0] SuSE-FW-DROP-DEFAULT ${PAYLOAD}`);
    expect(env.host).toBeUndefined();
    expect(env.message).toBe(`SuSE-FW-DROP-DEFAULT ${PAYLOAD}`);
    expect(iso(env.timestamp)).toBe('2026-03-08T22:35:42.000Z');
  });

  it('RFC 3164 with a PRI and a payload right after the host', () => {
    const env = one(`<161>Oct 10 07:25:12 Hostname kernel: [wan-lan-default-D]${PAYLOAD}`);
    expect(env.message).toBe(`[wan-lan-default-D]${PAYLOAD}`);
    expect(env.host).toBe('Hostname');
  });

  it('infers the year: a December line read against a January file date belongs to the year before', () => {
    const jan = makeContext(Date.UTC(2027, 0, 3));
    expect(iso(one(`Dec 31 23:59:58 vm kernel: ${PAYLOAD}`, jan).timestamp)).toBe('2026-12-31T23:59:58.000Z');
    expect(iso(one(`Jan  2 00:00:01 vm kernel: ${PAYLOAD}`, jan).timestamp)).toBe('2027-01-02T00:00:01.000Z');
    // A file copied (or last written) on 5 December: its 20 December lines are from the year before, while
    // a line a day ahead of the file's time (a zone east of UTC) stays in the file's year.
    const dec5 = makeContext(Date.UTC(2026, 11, 5, 13, 41));
    expect(iso(one(`Dec 20 20:10:01 vm kernel: ${PAYLOAD}`, dec5).timestamp)).toBe(
      '2025-12-20T20:10:01.000Z',
    );
    expect(iso(one(`Dec  6 09:00:00 vm kernel: ${PAYLOAD}`, dec5).timestamp)).toBe(
      '2026-12-06T09:00:00.000Z',
    );
    expect(iso(one(`Dec  5 13:00:00 vm kernel: ${PAYLOAD}`, dec5).timestamp)).toBe(
      '2026-12-05T13:00:00.000Z',
    );
    // A file last written in the last minutes of the year, by a host east of UTC: its Jan 1 lines are the new year's.
    const eve = makeContext(Date.UTC(2026, 11, 31, 23, 30));
    expect(iso(one(`Jan  1 00:20:00 vm kernel: ${PAYLOAD}`, eve).timestamp)).toBe('2027-01-01T00:20:00.000Z');
    // ... but the next year only as far as a zone and a clock's error reach: a Jan 2 line is the year's first days.
    expect(iso(one(`Jan  2 00:20:00 vm kernel: ${PAYLOAD}`, eve).timestamp)).toBe('2026-01-02T00:20:00.000Z');
    // --year 2026: never the year after (the log ends in 2026).
    expect(iso(one(`Jan  1 00:00:05 vm kernel: ${PAYLOAD}`, makeContext(0, { year: 2026 })).timestamp)).toBe(
      '2026-01-01T00:00:05.000Z',
    );
    // --year 2019 overrides: the log ends in 2019
    expect(iso(one(`Jun  1 00:00:00 vm kernel: ${PAYLOAD}`, makeContext(0, { year: 2019 })).timestamp)).toBe(
      '2019-06-01T00:00:00.000Z',
    );
  });

  it('applies --tz to stamps without a zone only', () => {
    const plus8 = makeContext(Date.UTC(2026, 10, 25), { utcOffsetMinutes: 480 });
    expect(iso(one(`Nov 25 08:00:00 vm kernel: ${PAYLOAD}`, plus8).timestamp)).toBe(
      '2026-11-25T00:00:00.000Z',
    );
    expect(iso(one(`2026-11-25T08:00:00+01:00 vm kernel: ${PAYLOAD}`, plus8).timestamp)).toBe(
      '2026-11-25T07:00:00.000Z',
    );
  });

  it('rsyslog high-precision ISO 8601 stamps', () => {
    const env = one(`2015-03-07T05:09:30.045015+02:00 servername kernel: DROP: ${PAYLOAD}`);
    expect(env).toMatchObject({ envelope: 'iso-syslog', host: 'servername', message: `DROP: ${PAYLOAD}` });
    expect(iso(env.timestamp)).toBe('2015-03-07T03:09:30.045Z');
  });

  it('RFC 5424 with structured data holding an escaped bracket', () => {
    const env = one(
      `<4>1 2026-11-25T16:46:40Z edge kernel - - [x@1 a="b\\]c" d="e"][y@2 f="g"] [UFW BLOCK] ${PAYLOAD}`,
    );
    expect(env).toMatchObject({
      envelope: 'rfc5424',
      host: 'edge',
      program: 'kernel',
      message: `[UFW BLOCK] ${PAYLOAD}`,
    });
    expect(iso(env.timestamp)).toBe('2026-11-25T16:46:40.000Z');
    expect(env.structuredData).toBe('[x@1 a="b\\]c" d="e"][y@2 f="g"]');
    expect(env.msgId).toBeUndefined();
  });

  it('RFC 5424 keeps MSGID and structured data that is the whole payload (Junos, Check Point)', () => {
    const sd = '[junos@2636.1.1.1.2.129 source-address="192.0.2.1" destination-port="53"]';
    const env = one(`<14>1 2026-11-14T09:37:51.184+01:00 srx1 RT_FLOW - RT_FLOW_SESSION_DENY ${sd}`);
    expect(env).toMatchObject({
      program: 'RT_FLOW',
      msgId: 'RT_FLOW_SESSION_DENY',
      structuredData: sd,
      message: '',
    });
    const none = one(`<4>1 2026-11-25T16:46:40Z edge kernel - - ${PAYLOAD}`);
    expect(none.structuredData).toBeUndefined();
  });

  it('dmesg -T and raw dmesg stamps', () => {
    const t = one(`[Wed Nov 25 16:46:38 2026] NFT-PING: ${PAYLOAD}`);
    expect(t).toMatchObject({ envelope: 'dmesg-ctime', message: `NFT-PING: ${PAYLOAD}` });
    expect(iso(t.timestamp)).toBe('2026-11-25T16:46:38.000Z');
    const raw = one(`[ 5916.458488] NFT-PING: ${PAYLOAD}`);
    expect(raw).toMatchObject({ envelope: 'dmesg', message: `NFT-PING: ${PAYLOAD}` });
    expect(raw.timestamp).toBeUndefined();
    const booted = one(`[   10.500000] X: ${PAYLOAD}`, { ...CTX, bootTime: Date.UTC(2026, 0, 1) });
    expect(iso(booted.timestamp)).toBe('2026-01-01T00:00:10.500Z');
  });

  it('journalctl -o json, MESSAGE as string or as a byte array', () => {
    const rec = { __REALTIME_TIMESTAMP: '1795625199358634', _HOSTNAME: 'vm', SYSLOG_IDENTIFIER: 'kernel' };
    const s = one(JSON.stringify({ ...rec, MESSAGE: `NFT: ${PAYLOAD}` }));
    expect(s).toMatchObject({ envelope: 'journald-json', host: 'vm', message: `NFT: ${PAYLOAD}` });
    expect(s.timestamp).toBe(1795625199358);
    const bytes = one(JSON.stringify({ ...rec, MESSAGE: [...Buffer.from(`NFT: ${PAYLOAD}`)] }));
    expect(bytes.message).toBe(`NFT: ${PAYLOAD}`);
  });

  it('journalctl -o export records span lines until a blank line', () => {
    const reader = createEnvelopeReader(CTX);
    expect(reader.push('__CURSOR=s=1')).toBe(PENDING);
    expect(reader.push('__REALTIME_TIMESTAMP=1642033008518660')).toBe(PENDING);
    expect(reader.push(`MESSAGE=iptables DROP_INPUT: ${PAYLOAD}`)).toBe(PENDING);
    const env = reader.push('') as Envelope;
    expect(env).toMatchObject({ envelope: 'journald-export', message: `iptables DROP_INPUT: ${PAYLOAD}` });
    expect(reader.recordStartLine).toBe(1);
    expect(iso(env.timestamp)).toBe('2022-01-13T00:16:48.518Z');
  });

  it('Proxmox pve-firewall.log lines keep the chain in front of the disposition', () => {
    const env = one(`0 3 PVEFW-HOST-IN 20/Jun/2022:13:09:14 +0200 policy DROP: ${PAYLOAD}`);
    expect(env.message).toBe(`PVEFW-HOST-IN policy DROP: ${PAYLOAD}`);
    expect(iso(env.timestamp)).toBe('2022-06-20T11:09:14.000Z');
  });

  it('Cisco Meraki `<PRI>1 <epoch>` lines are not read as RFC 5424: the payload keeps its epoch and device', () => {
    const payload =
      '1764089199.512345678 MX68 flows src=203.0.113.7 dst=192.0.2.10 protocol=tcp sport=1 dport=2';
    expect(one(`<134>1 ${payload}`)).toEqual({ envelope: 'rfc3164', message: payload });
  });

  it('a relay header in front of the device header: the device wins for time, host and program', () => {
    const env = one(`Nov 25 16:47:52 relay1 Nov 25 16:47:51 fw1 kernel: ${PAYLOAD}`);
    expect(env).toMatchObject({ host: 'fw1', relay: 'relay1', program: 'kernel', message: PAYLOAD });
    expect(iso(env.timestamp)).toBe('2026-11-25T16:47:51.000Z');
    // Two relays, the outer writing RFC 5424, the inner a BSD header with its own <PRI>.
    const chained = one(
      `<134>1 2026-11-25T16:47:53Z relay2 - - - - Nov 25 16:47:52 relay1 <4>Nov 25 16:47:51 fw1 kernel: ${PAYLOAD}`,
    );
    expect(chained).toMatchObject({ host: 'fw1', relay: 'relay2', program: 'kernel', message: PAYLOAD });
    expect(iso(chained.timestamp)).toBe('2026-11-25T16:47:51.000Z');
    // A BSD relay header before the device's RFC 5424 record.
    const inner5424 = one(`Nov 25 16:47:52 relay1 <134>1 2026-11-25T16:47:51Z fw1 kernel - - - ${PAYLOAD}`);
    expect(inner5424).toMatchObject({ host: 'fw1', relay: 'relay1', program: 'kernel', message: PAYLOAD });
    expect(iso(inner5424.timestamp)).toBe('2026-11-25T16:47:51.000Z');
    // ISO inner stamp.
    expect(one(`Nov 25 16:47:52 relay1 2026-11-25T16:47:51Z fw1 kernel: ${PAYLOAD}`)).toMatchObject({
      host: 'fw1',
      relay: 'relay1',
      message: PAYLOAD,
    });
  });

  it('a stamp that is no real date and time gives no time but the reason, and is not read as another day', () => {
    const reason = (v: string) => ({
      error: `time stamp ${v} is no real date and time`,
      reason: { key: 'parse.impossibleStamp', vars: { value: v } },
    });
    // Before: 30 February was carried over to 2 March by Date.UTC, and `Dec 99 99:99:99` made the whole line
    // a bare payload without a time.
    for (const stamp of ['Feb 30 05:10:00', 'Dec 99 99:99:99', 'Apr 31 00:00:00', 'Nov 25 24:00:00']) {
      const env = one(`${stamp} fw kernel: ${PAYLOAD}`);
      expect(env).toMatchObject({ envelope: 'rfc3164', host: 'fw', program: 'kernel', message: PAYLOAD });
      expect(env.timestamp).toBeUndefined();
      expect(env.stampProblem).toEqual(reason(stamp));
    }
    // 29 February in the year the stamp is read in: a leap year only.
    expect(one(`Feb 29 05:10:00 fw kernel: ${PAYLOAD}`).stampProblem).toEqual(reason('Feb 29 05:10:00'));
    const leap = one(`Feb 29 05:10:00 fw kernel: ${PAYLOAD}`, makeContext(Date.UTC(2028, 2, 1)));
    expect([iso(leap.timestamp), leap.stampProblem]).toEqual(['2028-02-29T05:10:00.000Z', undefined]);
    // ISO and RFC 5424 stamps alike (month 00 was read as December of the year before).
    expect(one(`2026-02-30T05:10:00Z fw kernel: ${PAYLOAD}`).stampProblem).toEqual(
      reason('2026-02-30T05:10:00Z'),
    );
    expect(one(`2026-00-10T05:10:00Z fw kernel: ${PAYLOAD}`).stampProblem).toEqual(
      reason('2026-00-10T05:10:00Z'),
    );
    expect(one(`<134>1 2026-11-31T05:10:00Z fw kernel - - - ${PAYLOAD}`)).toMatchObject({
      message: PAYLOAD,
      stampProblem: reason('2026-11-31T05:10:00Z'),
    });
    // Behind a relay: the device's impossible stamp leaves the relay's time; the relay's leaves the device's.
    const inner = one(`Nov 25 16:47:52 relay1 Feb 30 16:47:51 fw1 kernel: ${PAYLOAD}`);
    expect([inner.host, iso(inner.timestamp), inner.stampProblem]).toEqual([
      'fw1',
      '2026-11-25T16:47:52.000Z',
      undefined,
    ]);
    const outer = one(`Feb 30 16:47:52 relay1 Nov 25 16:47:51 fw1 kernel: ${PAYLOAD}`);
    expect([outer.host, iso(outer.timestamp), outer.stampProblem]).toEqual([
      'fw1',
      '2026-11-25T16:47:51.000Z',
      undefined,
    ]);
  });

  it('a relay header before Meraki `<PRI>1 <epoch>` or an ASA header leaves the payload whole', () => {
    const meraki =
      '1764089199.512345678 MX68 flows src=203.0.113.7 dst=192.0.2.10 protocol=tcp sport=1 dport=2';
    expect(one(`Nov 25 16:47:52 relay1 <134>1 ${meraki}`)).toMatchObject({
      relay: 'relay1',
      message: meraki,
    });
    expect(one(`Nov 25 16:47:52 relay1 1 ${meraki}`)).toMatchObject({
      host: 'relay1',
      message: `1 ${meraki}`,
    });
    // The ASA's own stamp carries a year, so it is no syslog header: the ASA module reads it.
    const asa =
      'Nov 25 2026 16:47:51: %ASA-4-106023: Deny tcp src outside:203.0.113.7/1 dst inside:192.0.2.10/2';
    expect(one(`Nov 25 16:47:52 relay1 ${asa}`)).toMatchObject({ host: 'relay1', message: asa });
  });

  it('stops after MAX_RELAY_HEADERS inner headers: the rest is the payload', () => {
    const headers = Array.from({ length: 6 }, (_, i) => `Nov 25 16:47:5${i} hop${i}`).join(' ');
    const env = one(`${headers} kernel: ${PAYLOAD}`);
    expect(env.relay).toBe('hop0');
    expect(env.host).toBe(`hop${MAX_RELAY_HEADERS}`);
    expect(env.message.startsWith('Nov 25 16:47:5')).toBe(true);
  });

  it('bare payloads pass through untouched', () => {
    expect(one(PAYLOAD)).toEqual({ envelope: 'bare', message: PAYLOAD });
  });
});

describe('realDay', () => {
  it('agrees with the calendar of Date for every day 0-32 of every month of 1896-2104 (leap centuries included)', () => {
    const wrong: string[] = [];
    for (let year = 1896; year <= 2104; year++)
      for (let month = 0; month < 12; month++)
        for (let day = 0; day <= 32; day++) {
          const calendar = day >= 1 && new Date(Date.UTC(year, month, day)).getUTCDate() === day;
          if (realDay(year, month, day) !== calendar) wrong.push(`${year}-${month + 1}-${day}`);
        }
    expect(wrong).toEqual([]);
    expect([realDay(2026, 12, 1), realDay(2026, -1, 1)]).toEqual([false, false]);
  });
});

// Windows Filtering Platform audit events: which records are claimed, and the forms the fixtures do not show.
import { describe, expect, it } from 'vitest';
import { parseOneLine } from '../ingest/parse-line.js';
import { makeContext } from './envelope/time.js';
import type { Envelope } from './types.js';
import { windowsWfp } from './windows-wfp.js';

const CTX = makeContext(Date.UTC(2026, 11, 31), { year: 2026 });
const parse = windowsWfp.createParser(CTX);
const bare = (message: string): Envelope => ({ envelope: 'bare', message });

const nx = (fields: Record<string, unknown>) =>
  JSON.stringify({
    EventTime: '2026-06-03 10:15:00',
    Hostname: 'WS01',
    SourceName: 'Microsoft-Windows-Security-Auditing',
    ...fields,
  });

describe('windows-wfp', () => {
  it('leaves the Security log records that are not the firewall to others, and says so to detection', () => {
    const logon = nx({ EventID: 4624, TargetUserName: 'alice', IpAddress: '198.51.100.40' });
    expect(parse(bare(logon))).toBeNull();
    expect(windowsWfp.detect(logon, bare(logon))).toBe(0);
    const sysmon = JSON.stringify({ SourceName: 'Microsoft-Windows-Sysmon', EventID: 3 });
    expect(parse(bare(sysmon))).toBeNull();
  });

  it('counts unknown ids of the firewall channel and of the Filtering Platform range as not understood', () => {
    const channel = nx({
      SourceName: 'Microsoft-Windows-Windows Firewall With Advanced Security',
      EventID: 2100,
    });
    expect(parse(bare(channel))).toEqual({ skip: 'not understood: 2100' });
    expect(parse(bare(nx({ EventID: 5151 })))).toEqual({ skip: 'not understood: 5151' });
    // A channel id is never read as an audit id and the other way round.
    expect(parse(bare(nx({ EventID: 2004 })))).toBeNull();
  });

  it('reads the rendered direction words as well as %%14592 / %%14593', () => {
    const ev = parse(
      bare(
        nx({
          EventID: 5157,
          Direction: 'Outbound',
          SourceAddress: '192.0.2.10',
          SourcePort: '50000',
          DestAddress: '198.51.100.8',
          DestPort: '445',
          Protocol: '6',
        }),
      ),
    );
    expect(ev).toMatchObject({
      action: 'deny',
      direction: 'outbound',
      sourceIp: '192.0.2.10',
      destinationPort: 445,
      transport: 'tcp',
      timestamp: Date.UTC(2026, 5, 3, 10, 15),
    });
  });

  it('keeps no ports on ICMP (WFP puts type and code in them) and names other protocol numbers', () => {
    const base = {
      EventID: 5152,
      Direction: '%%14592',
      SourceAddress: '203.0.113.7',
      DestAddress: '192.0.2.10',
    };
    const icmp = parse(bare(nx({ ...base, SourcePort: '8', DestPort: '0', Protocol: '1' })));
    expect(icmp).toMatchObject({ transport: 'icmp', ianaNumber: 1 });
    expect(icmp).not.toHaveProperty('sourcePort');
    expect(parse(bare(nx({ ...base, SourcePort: '0', DestPort: '0', Protocol: '47' })))).toMatchObject({
      transport: 'gre',
      ianaNumber: 47,
    });
  });

  it('reads a Snare record that came without a syslog header, routed by auto-detection', () => {
    const line = [
      'MSWinEventLog',
      '1',
      'Security',
      '7',
      'Wed Jun 03 12:00:00 2026',
      '5157',
      'Microsoft-Windows-Security-Auditing',
      'N/A',
      'N/A',
      'Failure Audit',
      'WS03',
      'Filtering Platform Connection',
      '',
      'The Windows Filtering Platform has blocked a connection.  Application Information:  Process ID: 4  Application Name: System  Network Information:  Direction: Inbound  Source Address: 203.0.113.7  Source Port: 51544  Destination Address: 192.0.2.10  Destination Port: 445  Protocol: 6',
      '7',
    ].join('\t');
    expect(parseOneLine(line, CTX)).toMatchObject({
      format: 'windows-wfp',
      action: 'deny',
      direction: 'inbound',
      sourceIp: '203.0.113.7',
      destinationPort: 445,
      ruleName: 'System',
      observerHost: 'WS03',
      timestamp: Date.UTC(2026, 5, 3, 12),
    });
  });

  it('turns a Snare record of another source (an application log) down', () => {
    const line = `MSWinEventLog\t1\tApplication\t8\tWed Jun 03 12:00:00 2026\t1000\tApplication Error\tN/A\tN/A\tError\tWS03\tNone\t\tFaulting application\t8`;
    expect(parse(bare(line))).toBeNull();
    expect(windowsWfp.detect(line, bare(line))).toBe(0);
  });
});

describe('windows-wfp event XML', () => {
  const xml = (eid: number, data: string, provider = 'Microsoft-Windows-Security-Auditing') =>
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name="${provider}"/><EventID>${eid}</EventID><TimeCreated SystemTime="2026-06-03T13:00:00.5Z"/><Computer>WS04</Computer></System><EventData>${data}</EventData></Event>`;
  const conn =
    "<Data Name='Application'>C:\\a&#38;b\\x&#x41;.exe</Data><Data Name='Direction'>%%14593</Data><Data Name='SourceAddress'>192.0.2.40</Data><Data Name='SourcePort'>50000</Data><Data Name='DestAddress'>198.51.100.9</Data><Data Name='DestPort'>443</Data><Data Name='Protocol'>6</Data>";

  it('reads double-quoted attributes and numeric character references', () => {
    expect(parse(bare(xml(5156, conn)))).toMatchObject({
      action: 'allow',
      direction: 'outbound',
      destinationPort: 443,
      ruleName: 'C:\\a&b\\xA.exe',
      observerHost: 'WS04',
      timestamp: Date.UTC(2026, 5, 3, 13, 0, 0, 500),
    });
  });

  it('leaves a reference past the last code point as written instead of throwing', () => {
    const r = parse(bare(xml(5156, conn.replace('&#38;', '&#9999999;'))));
    expect(r).toMatchObject({ ruleName: 'C:\\a&#9999999;b\\xA.exe' });
  });

  it('counts a line of several non-traffic events as its first record', () => {
    const listen = xml(5154, "<Data Name='SourcePort'>8080</Data>");
    expect(parse(bare(listen + listen))).toEqual({ skip: 'listen permitted' });
  });

  it('leaves XML of other providers alone', () => {
    const other = xml(1000, '', 'Application Error');
    expect(parse(bare(other))).toBeNull();
    expect(windowsWfp.detect(other, bare(other))).toBe(0);
  });
});

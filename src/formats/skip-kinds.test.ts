// The firewall's own alarms among the events (screen, DoS policy, IDS, threat) as a later finding reads them,
// and vendor records fwlens does not understand yet, counted under their vendor with their id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestText, ROOT } from '../../test/helpers.js';
import type { FwEvent } from '../event.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { makeContext } from './envelope/time.js';
import { ALARM_PREFIX, firewallAlarm, markAlarm, notUnderstood } from './skip-kinds.js';

const CTX = makeContext(Date.UTC(2026, 11, 31), { year: 2026 });
const FIX = join(ROOT, 'test', 'fixtures');

/** The line of a fixture file that holds `needle` (the fixtures are the vendors' documented layouts). */
function fixtureLine(file: string, needle: string): string {
  const line = readFileSync(join(FIX, file), 'utf8')
    .split('\n')
    .find((l) => l.includes(needle));
  if (!line) throw new Error(`${file} has no line with ${needle}`);
  return line;
}

function eventOf(line: string): FwEvent {
  const r = parseOneLine(line, CTX);
  if (r === null || 'error' in r || 'skip' in r) throw new Error(`not an event: ${JSON.stringify(r)}`);
  return r;
}

describe('firewall alarms', () => {
  it.each([
    ['juniper-srx/srx-catalog.log', 'UDP flood!', 'screen', 'RT_SCREEN_UDP', 'UDP flood!', '203.0.113.22'],
    [
      'juniper-srx/srx-catalog.log',
      'TROJAN:ZMEU',
      'ids',
      'IDP_ATTACK_LOG_EVENT',
      'TROJAN:ZMEU-BOT-SCAN',
      '203.0.113.30',
    ],
    [
      'netscreen/screenos-catalog.log',
      'Address sweep!',
      'screen',
      'system-alert-00017',
      'Address sweep!',
      '203.0.113.41',
    ],
    [
      'checkpoint/log-exporter-catalog.log',
      'SmartDefense',
      'ids',
      'SmartDefense',
      'Port Scan',
      '203.0.113.61',
    ],
    ['fortigate/utm-anomaly-events.log', 'tcp_syn_flood', 'dos', 'anomaly', 'tcp_syn_flood', '203.0.113.70'],
    [
      'panos/threat-catalog.log',
      'TCP Port Scan',
      'screen',
      'THREAT/scan',
      'TCP Port Scan(8001)',
      '203.0.113.80',
    ],
    ['panos/threat-catalog.log', 'SYN Flood', 'dos', 'THREAT/flood', 'SYN Flood(8501)', '203.0.113.81'],
    ['cisco-meraki/mx.log', 'ids-alerts', 'ids', 'ids-alerts', 'EXPLOIT-KIT test signature', '203.0.113.82'],
    [
      'cisco-meraki/mx-catalog.log',
      'file_scanned',
      'threat',
      'security_filtering_file_scanned',
      'EICAR:Test-File',
      '198.51.100.40',
    ],
    [
      'suricata-eve/ips-and-flows.log',
      'LOCAL telnet from the internet',
      'ids',
      'Attempted Administrator Privilege Gain (severity 1)',
      'LOCAL telnet from the internet',
      '198.51.100.66',
    ],
  ])('%s "%s" is a %s alarm of class %s', (file, needle, kind, vendorClass, name, source) => {
    const ev = eventOf(fixtureLine(file, needle));
    expect(ev.sourceIp).toBe(source);
    expect(firewallAlarm(ev)).toEqual({ kind, vendorClass, name });
  });

  it('leaves ordinary traffic and UTM verdicts unmarked', () => {
    for (const [file, needle] of [
      ['juniper-srx/srx-catalog.log', 'WEBFILTER_URL_BLOCKED'],
      ['fortigate/utm-anomaly-events.log', 'subtype="webfilter"'],
      ['panos/threat-catalog.log', 'THREAT,url'],
      ['netscreen/screenos-catalog.log', '(traffic)'],
      // A Suricata signature of severity 3 is informational: no alarm.
      ['suricata-eve/ips-and-flows.log', 'OpenSSL Demo CA'],
      // AWS Network Firewall's alerts are its policy's drops, not IDS signatures.
      ['aws-network-firewall/nfw-flow-alert.log', '"event_type":"alert"'],
    ] as const) {
      const ev = eventOf(fixtureLine(file, needle));
      expect(firewallAlarm(ev), needle).toBeUndefined();
    }
  });

  it('reads only its own prefix shape', () => {
    expect(firewallAlarm({ prefix: '[UFW BLOCK] ' })).toBeUndefined();
    expect(firewallAlarm({ prefix: `${ALARM_PREFIX}nonsense` })).toBeUndefined();
    expect(firewallAlarm({ prefix: `${ALARM_PREFIX}bogus:X` })).toBeUndefined();
    const ev = markAlarm(
      { ruleName: 'DoS-policy-1' } as Pick<FwEvent, 'prefix' | 'alarmName' | 'ruleName'>,
      'dos',
      'anomaly',
      'udp_flood',
    );
    // The alarm has its own name; the policy that matched stays the rule.
    expect(ev).toEqual({ prefix: 'alarm:dos:anomaly', alarmName: 'udp_flood', ruleName: 'DoS-policy-1' });
    expect(firewallAlarm(ev)).toEqual({ kind: 'dos', vendorClass: 'anomaly', name: 'udp_flood' });
    // An alarm about the record's destination says so after its kind, and reads back as such.
    const virus = markAlarm(
      {} as Pick<FwEvent, 'prefix' | 'alarmName'>,
      'threat',
      'virus',
      'EICAR',
      'destination',
    );
    expect(virus.prefix).toBe('alarm:threat@destination:virus');
    expect(firewallAlarm(virus)).toEqual({
      kind: 'threat',
      vendorClass: 'virus',
      name: 'EICAR',
      subject: 'destination',
    });
    expect(firewallAlarm({ prefix: `${ALARM_PREFIX}bogus@destination:X` })).toBeUndefined();
  });
});

describe('records of a known vendor fwlens does not understand', () => {
  it('are counted as not traffic under that vendor, with their id', async () => {
    const text = [
      fixtureLine('juniper-srx/srx-catalog.log', 'BGP_NLRI_MISMATCH'),
      fixtureLine('netscreen/screenos-catalog.log', 'system-information-00999'),
      fixtureLine('fortigate/utm-anomaly-events.log', 'type="gtp"'),
      fixtureLine('panos/threat-catalog.log', ',AUDIT,'),
      fixtureLine('checkpoint/log-exporter-catalog.log', 'Quantum IoT Protect'),
    ].join('\n');
    const { stats } = await ingestText(text, { year: 2026 });
    const input = stats.inputs[0]!;
    expect(input.events).toBe(0);
    expect(input.malformed).toBe(0);
    expect(input.unrecognized).toBe(0);
    expect(input.nonTrafficByFormat).toEqual({
      'juniper-srx': { 'not understood: BGP_NLRI_MISMATCH': 1 },
      netscreen: { 'not understood: system-information-00999': 1 },
      fortigate: { 'not understood: type gtp': 1 },
      panos: { 'not understood: type AUDIT': 1 },
      checkpoint: { 'not understood: product Quantum IoT Protect': 1 },
    });
    expect(notUnderstood('X_Y')).toEqual({ skip: 'not understood: X_Y' });
  });
});

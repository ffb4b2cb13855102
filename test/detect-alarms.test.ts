// The firewall's own alarms (screen, DoS, IDS, threat records) become findings, and fold into fwlens's own
// finding about the same source when there is one (issue 18).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDetectionEngine, type Finding } from '../src/detect/index.js';
import type { FwEvent } from '../src/event.js';
import { firewallAlarm } from '../src/formats/skip-kinds.js';
import { ingest } from '../src/ingest/pipeline.js';
import { knowledgeBase } from '../src/knowledge/index.js';

const FIX = join(import.meta.dirname, 'fixtures');
const kb = knowledgeBase();

/** Events and findings of some log files, read the way analyze reads them. */
async function analyse(paths: string[]): Promise<{ events: FwEvent[]; findings: Finding[] }> {
  const engine = createDetectionEngine({ kb });
  const events: FwEvent[] = [];
  await ingest(
    paths.map((path) => ({ path })),
    {
      year: 2026,
      onEvent: (ev, raw) => {
        events.push(ev);
        engine.push(ev, raw);
      },
    },
  );
  return { events, findings: engine.finish() };
}

const alarmFindings = (fs: Finding[]) => fs.filter((f) => f.detector === 'firewall-alarm');

describe('the firewall flagged it itself', () => {
  it('every screen, IDP and security-intelligence alarm of the Junos, ScreenOS, SonicOS and Fireware catalogs and the pf drop reasons is a finding in its words', async () => {
    const { events, findings } = await analyse([
      join(FIX, 'juniper-srx', 'srx-catalog.log'),
      join(FIX, 'netscreen', 'screenos-catalog.log'),
      join(FIX, 'sonicwall', 'sonicos-catalog.log'),
      join(FIX, 'watchguard', 'firebox-catalog.log'),
      join(FIX, 'pf-filterlog', 'filterlog-layouts.log'),
    ]);
    const alarms = events.filter((ev) => firewallAlarm(ev) !== undefined);
    expect(alarms.length).toBeGreaterThan(15);
    // Each alarm is behind a finding of its own or folded into fwlens's finding on the same source.
    for (const ev of alarms) {
      const alarm = firewallAlarm(ev)!;
      const name = alarm.name!;
      // An alarm about the destination (a server that sent an infected file) names it as the finding's source.
      const aboutDestination = alarm.subject === 'destination';
      const subject = aboutDestination ? ev.destinationIp! : (ev.sourceIp ?? ev.destinationIp!);
      const own = findings.find(
        (f) =>
          f.detector === 'firewall-alarm' &&
          f.technique === name &&
          (ev.sourceIp || aboutDestination ? f.sources.includes(subject) : f.targets.includes(subject)),
      );
      const folded = findings.find(
        (f) =>
          f.detector !== 'firewall-alarm' &&
          f.sources.includes(subject) &&
          f.explanation.en.includes(`"${name}"`),
      );
      expect(own ?? folded, `${name} ${subject}`).toBeDefined();
    }
  });

  it('names the source, or the target when the record names no source, in English and Chinese', async () => {
    const { findings } = await analyse([join(FIX, 'juniper-srx', 'srx-catalog.log')]);
    const byTarget = alarmFindings(findings).find((f) => f.sources.length === 0);
    expect(byTarget?.title.en).toBe('The firewall itself flagged "SYN flood!" against 192.0.2.10');
    expect(byTarget?.title.zh).toBe('防火墙自身告警"SYN flood!"(目标 192.0.2.10)');
    expect(byTarget?.targets).toEqual(['192.0.2.10']);
    const bySource = alarmFindings(findings).find(
      (f) => f.technique === 'SYN flood!' && f.sources.length === 1,
    );
    expect(bySource?.sources).toEqual(['203.0.113.27']);
    // The record named no target: none is listed (not an empty address).
    expect(bySource?.targets).toEqual([]);
    expect(bySource?.evidence[0]?.text).toContain('RT_SCREEN_TCP_SRC_IP');
    // An intrusion rule's alarm counts above a flood screen.
    const idp = alarmFindings(findings).find((f) => f.technique === 'TROJAN:ZMEU-BOT-SCAN');
    expect(idp?.severity).toBe(4);
    expect(bySource?.severity).toBe(3);
    expect(idp?.confidence).toBe(0.9);
  });

  it("folds into fwlens's own finding on the same source, and stays apart for another source", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-alarm-'));
    const scan = Array.from(
      { length: 40 },
      (_, i) =>
        `2026-03-14T10:00:${String(i).padStart(2, '0')}+00:00 fw kernel: [BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=45 ID=${1000 + i} PROTO=TCP SPT=40000 DPT=${20 + i} WINDOW=1024 RES=0x00 SYN URGP=0`,
    );
    writeFileSync(join(dir, 'scan.log'), `${scan.join('\n')}\n`);
    const screen = (src: string, sec: string) =>
      `<11>1 2026-03-14T10:00:${sec}.000Z srx-edge RT_IDS - RT_SCREEN_TCP [junos@2636.1.1.1.2.129 attack-name="Port scan!" source-address="${src}" source-port="40000" destination-address="192.0.2.10" destination-port="22" source-zone-name="untrust" interface-name="ge-0/0/0.0" action="drop"]`;
    writeFileSync(
      join(dir, 'screen.log'),
      `${screen('203.0.113.9', '20')}\n${screen('198.51.100.77', '21')}\n`,
    );
    const { findings } = await analyse([join(dir, 'scan.log'), join(dir, 'screen.log')]);
    const vertical = findings.filter((f) => f.detector === 'vertical-scan');
    expect(vertical.map((f) => f.sources)).toEqual([['203.0.113.9']]);
    expect(vertical[0]!.explanation.en).toContain(
      'The firewall itself also flagged this source: "Port scan!" (1 alarm).',
    );
    expect(vertical[0]!.explanation.zh).toContain('防火墙自身也对该来源发出了告警');
    expect(vertical[0]!.evidence.some((e) => e.text.includes('attack-name="Port scan!"'))).toBe(true);
    expect(vertical[0]!.confidence).toBeGreaterThanOrEqual(0.9);
    // The folded alarm is not listed twice; the other source's alarm stands alone.
    expect(alarmFindings(findings).map((f) => f.sources)).toEqual([['198.51.100.77']]);
  });
  it('names the server that sent an infected file, not the client that fetched it, and keeps the policy as the rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-alarm-virus-'));
    // FortiOS writes the session client first; `direction="incoming"` says the file came from the server.
    const virus =
      'date=2026-11-25 time=17:00:08 devname="FGT60E" devid="FGT60ETK19000001" eventtime=1795626008 tz="+0100" logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" vd="root" policyid=4 policyname="LAN-to-WAN" msg="File is infected." action="blocked" service="HTTP" sessionid=70004 srcip=192.0.2.62 dstip=198.51.100.92 srcport=51002 dstport=80 srcintf="internal" srcintfrole="lan" dstintf="wan1" dstintfrole="wan" proto=6 direction="incoming" filename="eicar.com" virus="EICAR_TEST_FILE"';
    writeFileSync(join(dir, 'virus.log'), `${virus}\n`);
    const { events, findings } = await analyse([join(dir, 'virus.log')]);
    // The event stays the session as the other parsers read it; the alarm is about its destination.
    expect(events[0]).toMatchObject({
      sourceIp: '192.0.2.62',
      destinationIp: '198.51.100.92',
      destinationPort: 80,
      ruleName: 'LAN-to-WAN',
      alarmName: 'EICAR_TEST_FILE',
      prefix: 'alarm:threat@destination:virus',
    });
    expect(alarmFindings(findings).map((f) => [f.sources, f.targets, f.technique])).toEqual([
      [['198.51.100.92'], ['192.0.2.62'], 'EICAR_TEST_FILE'],
    ]);
  });
});

describe('the Linux kernel reports a martian packet (log_martians)', () => {
  it("a private source on the WAN link is a spoofing finding that quotes the kernel's own words", async () => {
    const { events, findings } = await analyse([join(FIX, 'linux-kernel-net', 'kern-martians.log')]);
    expect(events.filter((e) => e.alarmName === 'martian source')).toHaveLength(4);
    const spoofed = findings.filter((f) => f.detector === 'spoofing');
    // 192.168.0.2 on ppp0, 127.0.0.1 and 10.9.8.7 on eth0, 169.254.3.4: each a source that cannot be right there.
    expect(spoofed.map((f) => f.sources[0]).sort()).toEqual([
      '10.9.8.7',
      '127.0.0.1',
      '169.254.3.4',
      '192.168.0.2',
    ]);
    for (const f of spoofed) expect(f.explanation.en).toContain('"martian source"');
    // A packet the UDP stack dropped as shorter than its header: the kernel's alarm, a finding of its own.
    const short = findings.filter((f) => f.detector === 'firewall-alarm').map((f) => f.title.en);
    expect(short.some((t) => t.includes('UDP short packet'))).toBe(true);
  });
});

// Checks the modern-port, scanner and signature knowledge against the checklist taken from the modern-ports fact sheet.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { FwEvent } from '../src/event.js';
import { explainEvent, explainPort } from '../src/explain/index.js';
import { parseOneLine } from '../src/ingest/parse-line.js';
import { KnowledgeBase } from '../src/knowledge/index.js';
import { loadKnowledgeData } from '../src/knowledge/load.js';
import type { Proto } from '../src/knowledge/schema.js';
import { ipv4ToInt } from '../src/net/ip.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHECKLIST_PATH = join(REPO, 'test', 'fixtures', 'knowledge', 'modern-ports-checklist.yaml');
/** The team's fact sheet, present on the development machine only; when found, the checklist must match it. */
const FACT_SHEET_PATH = join(REPO, '..', 'shared', 'modern-ports.yaml');

interface ChecklistEntry {
  ports: number[];
  proto: string;
  names: string;
}
interface Checklist {
  entries: ChecklistEntry[];
  scannerRanges: Record<string, string[]>;
}

const checklist = parseYaml(readFileSync(CHECKLIST_PATH, 'utf8')) as Checklist;
const kb = new KnowledgeBase(loadKnowledgeData());
const modernPorts = kb.data.ports.filter((e) => e.tags?.includes('modern'));

/**
 * The fact sheet lumps a group of ports under "tcp/udp" although these protocols use one transport only
 * (S7comm and Niagara Fox are TCP, BACnet/IP and IPMI are UDP, the SQL Server Browser answers on UDP 1434
 * while logins go to TCP 1433), so the knowledge base describes them on that transport alone.
 */
const SINGLE_TRANSPORT: Record<number, Proto> = {
  102: 'tcp',
  1911: 'tcp',
  1433: 'tcp',
  47808: 'udp',
  623: 'udp',
  1434: 'udp',
};

const SIGNATURE_IDS = [
  'backscatter',
  'reflection-victim',
  'reflector-hunting',
  'mirai-seq',
  'zmap-fingerprint',
  'out-of-state-tcp',
  'slow-distributed-scan',
  'lan-noise',
  'new-host-exposure',
  'research-scanner',
];

/** Expected transports of one checklist port. */
function expectedProtos(port: number, sheetProto: string): Proto[] {
  return SINGLE_TRANSPORT[port] ? [SINGLE_TRANSPORT[port]] : (sheetProto.split('/') as Proto[]);
}

/** Inclusive IPv4 range [from, to] of a checklist item: "a.b.c.d", "a.b.c.d-e" or "a.b.c.d-w.x.y.z". */
function ipv4Range(item: string): [number, number] {
  const [start, end] = item.split('-') as [string, string | undefined];
  const from = ipv4ToInt(start);
  if (end === undefined) return [from, from];
  if (end.includes('.')) return [from, ipv4ToInt(end)];
  return [from, from - (from % 256) + Number(end)];
}

/** Inclusive IPv4 range covered by a CIDR block (which must have no host bits set). */
function cidrRange(cidr: string): [number, number] {
  const [addr, bits] = ipaddr.parseCIDR(cidr);
  const from = ipv4ToInt(addr.toString());
  const size = 2 ** (32 - bits);
  expect(from % size, `${cidr} has host bits set`).toBe(0);
  return [from, from + size - 1];
}

/** Merge inclusive ranges so two lists covering the same addresses compare equal. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

describe('modern ports', () => {
  it('checklist has the 38 entries of the fact sheet', () => {
    expect(checklist.entries).toHaveLength(38);
  });

  it.skipIf(!existsSync(FACT_SHEET_PATH))('checklist matches the fact sheet', () => {
    const sheet = parseYaml(readFileSync(FACT_SHEET_PATH, 'utf8')) as {
      entries: { ports: number[]; proto: string }[];
    };
    expect(checklist.entries.map((e) => [e.ports, e.proto])).toEqual(
      sheet.entries.map((e) => [e.ports, e.proto]),
    );
  });

  it('covers every port of every fact-sheet entry with a modern entry of the right transport', () => {
    const missing: string[] = [];
    for (const entry of checklist.entries)
      for (const port of entry.ports)
        for (const proto of expectedProtos(port, entry.proto)) {
          const hits = kb.portEntries(port, proto).filter((e) => e.tags?.includes('modern'));
          if (hits.length === 0) missing.push(`${port}/${proto} (${entry.names})`);
        }
    expect(missing).toEqual([]);
  });

  it('finds more than one entry where the fact sheet lists a port twice (8080 = admin panel and proxy)', () => {
    const ids = kb.portEntries(8080, 'tcp').map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['http-alt-botnet', 'open-proxy-hunting']));
    expect(kb.portEntries(8080, 'udp').filter((e) => e.tags?.includes('modern'))).toEqual([]);
  });

  it('uses ids that are unique across all port files', () => {
    const ids = kb.data.ports.map((e) => e.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });
});

describe('peer-to-peer and overlay VPN ports beyond the fact sheet', () => {
  const ids = (port: number, proto: Proto) => kb.portEntries(port, proto).map((e) => e.id);

  it('names BitTorrent on 6881-6889 and 51413 over TCP and UDP, and not just outside that range', () => {
    for (const proto of ['tcp', 'udp'] as const) {
      for (const port of [6881, 6885, 6889, 51413]) expect(ids(port, proto)).toContain('bittorrent');
      for (const port of [6880, 6890, 51412, 51414]) expect(ids(port, proto)).not.toContain('bittorrent');
    }
  });

  it('names WireGuard, Tailscale and ZeroTier on their UDP ports only', () => {
    expect(ids(51820, 'udp')).toEqual(['wireguard']);
    expect(ids(41641, 'udp')).toEqual(['tailscale']);
    expect(ids(9993, 'udp')).toEqual(['zerotier']);
    for (const port of [51820, 41641, 9993]) expect(ids(port, 'tcp')).toEqual([]);
  });

  it('names Tomcat AJP (Ghostcat) on TCP 8009 as an exposed service', () => {
    const [entry] = kb.portEntries(8009, 'tcp');
    expect(entry?.id).toBe('tomcat-ajp');
    expect(entry?.kind).toBe('exposed-service');
    expect(entry?.malware).toContain('CVE-2020-1938');
  });

  it('explains a dropped peer connection to 51413 as BitTorrent at severity 1 with its sources', () => {
    const ev = parseOneLine(
      'Dec  5 03:12:09 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=198.51.100.23 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4711 DF PROTO=TCP SPT=40112 DPT=51413 WINDOW=64240 RES=0x00 SYN URGP=0',
    ) as FwEvent;
    const x = explainEvent(ev, kb);
    expect(x.portLabel?.en).toContain('BitTorrent');
    expect(x.severity.score).toBe(1);
    expect(x.citations).toEqual(expect.arrayContaining(['bep-3', 'transmission-settings']));
  });
});

describe('remote administration, databases and brokers known before only by their IANA name', () => {
  const ids = (port: number, proto: Proto) => kb.portEntries(port, proto).map((e) => e.id);

  it('names WinRM, MQTT, the Oracle listener and Webmin on TCP only', () => {
    expect([ids(5985, 'tcp'), ids(5986, 'tcp')]).toEqual([['winrm'], ['winrm']]);
    expect([ids(1883, 'tcp'), ids(8883, 'tcp')]).toEqual([['mqtt-broker'], ['mqtt-broker']]);
    expect(ids(1521, 'tcp')).toEqual(['oracle-tns-listener']);
    expect(ids(10000, 'tcp')).toEqual(['webmin']);
    for (const port of [5985, 5986, 1883, 8883, 1521, 10000])
      expect(ids(port, 'udp'), `${port}/udp`).toEqual([]);
  });

  it('names X11 on TCP 6000-6063 (display N on 6000 + N), and not just outside that range or on UDP', () => {
    for (const port of [6000, 6001, 6063]) expect(ids(port, 'tcp')).toEqual(['x11']);
    for (const port of [5999, 6064]) expect(ids(port, 'tcp')).not.toContain('x11');
    expect(ids(6000, 'udp')).toEqual([]);
  });

  it('calls 1521 the Oracle database listener, not by its stale IANA name', () => {
    const x = explainPort(1521, 'tcp', {}, kb);
    expect(x.portLabel?.en).toContain('Oracle');
    expect(x.portLabel?.en).not.toContain('ncube');
  });

  it('explains a dropped SYN to WinRM as remote administration at severity 3 with its sources', () => {
    const ev = parseOneLine(
      'Dec  5 03:14:52 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=198.51.100.77 DST=192.0.2.10 LEN=52 TOS=0x00 PREC=0x00 TTL=115 ID=20113 DF PROTO=TCP SPT=61544 DPT=5985 WINDOW=64240 RES=0x00 SYN URGP=0',
    ) as FwEvent;
    const x = explainEvent(ev, kb);
    expect(x.portLabel?.en).toContain('WinRM');
    expect(x.severity.score).toBe(3);
    expect(x.citations).toEqual(
      expect.arrayContaining(['ms-wsmv-default-ports', 'powershell-winrm-security']),
    );
  });
});

describe('chat, shell and remote-control ports where an outbound hit says more', () => {
  const ids = (port: number, proto: Proto) => kb.portEntries(port, proto).map((e) => e.id);
  const sectionText = (x: ReturnType<typeof explainEvent>, id: string) =>
    x.sections
      .filter((s) => s.topic === id)
      .flatMap((s) => s.lines.map((l) => l.en))
      .join(' ');

  it('names IRC and the 4444 shell port on TCP only, TeamViewer on TCP and UDP', () => {
    expect(ids(6667, 'tcp')).toEqual(['irc']);
    expect(ids(4444, 'tcp')).toEqual(['shell-4444']);
    expect([ids(5938, 'tcp'), ids(5938, 'udp')]).toEqual([['teamviewer'], ['teamviewer']]);
    for (const port of [6667, 4444]) expect(ids(port, 'udp'), `${port}/udp`).toEqual([]);
    for (const [port, id] of [
      [6666, 'irc'],
      [6668, 'irc'],
      [4443, 'shell-4444'],
      [4445, 'shell-4444'],
      [5937, 'teamviewer'],
      [5939, 'teamviewer'],
    ] as const)
      expect(ids(port, 'tcp'), `${port}`).not.toContain(id);
  });

  it('marks 4444 as a backdoor port, so the trojan-probe detector and the outbound rule see it', () => {
    const [entry] = kb.portEntries(4444, 'tcp');
    expect(entry?.kind).toBe('backdoor');
    expect(entry?.malware).toEqual(expect.arrayContaining(['Metasploit', 'W32/Blaster']));
  });

  it('explains an inside host calling out to 4444 as a reverse shell, above an inbound probe of the same port', () => {
    const out = explainEvent(
      parseOneLine(
        'Dec  5 03:20:41 gw kernel: [UFW BLOCK] IN=eth1 OUT=eth0 MAC=52:54:00:8a:1e:11:00:0c:29:4b:17:23:08:00 SRC=10.0.0.23 DST=203.0.113.50 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=51022 DF PROTO=TCP SPT=49822 DPT=4444 WINDOW=64240 RES=0x00 SYN URGP=0',
      ) as FwEvent,
      kb,
    );
    const probe = explainEvent(
      parseOneLine(
        'Dec  5 03:21:07 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=198.51.100.31 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=51234 DPT=4444 WINDOW=1024 RES=0x00 SYN URGP=0',
      ) as FwEvent,
      kb,
    );
    expect(sectionText(out, 'direction')).toMatch(/reverse shell/);
    expect(out.severity.score).toBe(3);
    expect(probe.severity.score).toBe(2);
    expect(out.citations).toEqual(
      expect.arrayContaining(['metasploit-handler-lport', 'cisco-blaster-ports']),
    );
  });

  it('explains an inside host connecting out to 6667 with the IRC-bot warning and its sources', () => {
    const x = explainEvent(
      parseOneLine(
        'Dec  5 03:25:13 gw kernel: [UFW BLOCK] IN=eth1 OUT=eth0 MAC=52:54:00:8a:1e:11:00:0c:29:4b:17:23:08:00 SRC=10.0.0.41 DST=198.51.100.200 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=3391 DF PROTO=TCP SPT=38211 DPT=6667 WINDOW=29200 RES=0x00 SYN URGP=0',
      ) as FwEvent,
      kb,
    );
    expect(x.portLabel?.en).toContain('IRC');
    expect(sectionText(x, 'direction')).toMatch(/bot/);
    expect(x.citations).toEqual(expect.arrayContaining(['rfc-7194', 'microsoft-sir-irc-botnets']));
  });
});

describe('game servers and cryptocurrency nodes', () => {
  const ids = (port: number, proto: Proto) => kb.portEntries(port, proto).map((e) => e.id);

  it('names Minecraft Java on TCP 25565 and Bedrock on UDP 19132/19133, each on its own transport only', () => {
    expect(ids(25565, 'tcp')).toEqual(['minecraft-java']);
    expect(ids(25565, 'udp')).toEqual([]);
    for (const port of [19132, 19133]) {
      expect(ids(port, 'udp')).toEqual(['minecraft-bedrock']);
      expect(ids(port, 'tcp')).toEqual([]);
    }
  });

  it('names Bitcoin on TCP 8333 only and Ethereum on TCP and UDP 30303', () => {
    expect([ids(8333, 'tcp'), ids(8333, 'udp')]).toEqual([['bitcoin-node'], []]);
    expect([ids(30303, 'tcp'), ids(30303, 'udp')]).toEqual([['ethereum-node'], ['ethereum-node']]);
    for (const port of [8332, 8334, 30302, 30304]) expect(ids(port, 'tcp'), `${port}`).toEqual([]);
  });

  it('explains a peer knocking on 8333 as Bitcoin at severity 1 with its sources', () => {
    const ev = parseOneLine(
      'Dec  5 03:31:58 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.88 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=49 ID=61190 DF PROTO=TCP SPT=50418 DPT=8333 WINDOW=64240 RES=0x00 SYN URGP=0',
    ) as FwEvent;
    const x = explainEvent(ev, kb);
    expect(x.portLabel?.en).toContain('Bitcoin');
    expect(x.severity.score).toBe(1);
    expect(x.citations).toEqual(expect.arrayContaining(['bitcoin-chainparams', 'bitcoin-p2p-bad-ports']));
  });
});

describe('sources of the modern knowledge', () => {
  it('every fact cites a source that exists, and general facts are marked unverified', () => {
    const modernSignatures = kb.data.signatures.filter((e) => e.tags?.includes('modern'));
    const problems: string[] = [];
    for (const entry of [...modernPorts, ...modernSignatures, ...kb.data.scanners])
      for (const fact of entry.facts) {
        if (!kb.source(fact.source)) problems.push(`${entry.id}: unknown source ${fact.source}`);
        if (fact.source === 'general' && !fact.unverified)
          problems.push(`${entry.id}: general fact not unverified`);
      }
    expect(problems).toEqual([]);
  });
});

describe('research scanners', () => {
  it('lists only CIDR blocks that parse', () => {
    for (const scanner of kb.data.scanners)
      for (const cidr of scanner.cidrs ?? []) expect(() => ipaddr.parseCIDR(cidr), cidr).not.toThrow();
  });

  it('converts the ranges of the fact sheet into exactly the same addresses', () => {
    for (const [id, items] of Object.entries(checklist.scannerRanges)) {
      const scanner = kb.data.scanners.find((s) => s.id === id);
      expect(scanner, id).toBeDefined();
      const cidrs = scanner!.cidrs ?? [];
      const v4 = cidrs.filter((c) => !c.includes(':'));
      const listed = items.filter((i) => !i.includes(':'));
      expect(mergeRanges(v4.map(cidrRange)), id).toEqual(mergeRanges(listed.map(ipv4Range)));
      expect(cidrs.filter((c) => c.includes(':')).sort(), id).toEqual(
        items.filter((i) => i.includes(':')).sort(),
      );
    }
  });

  it('finds Censys for addresses inside its prefixes and not just outside them', () => {
    const isCensys = (ip: string) => kb.addressEntries(ip).some((e) => e.id === 'censys');
    expect(isCensys('167.94.138.101')).toBe(true);
    expect(isCensys('206.168.35.7')).toBe(true);
    expect(isCensys('2602:80d:1000::2a')).toBe(true);
    expect(isCensys('167.94.139.1')).toBe(false);
    expect(isCensys('206.168.36.0')).toBe(false);
  });

  it('finds Shodan at the edges of a converted range', () => {
    const isShodan = (ip: string) => kb.addressEntries(ip).some((e) => e.id === 'shodan');
    expect([isShodan('198.20.70.110'), isShodan('198.20.70.111'), isShodan('198.20.70.119')]).toEqual([
      false,
      true,
      true,
    ]);
    expect(isShodan('198.20.70.120')).toBe(false);
  });
});

describe('modern signatures', () => {
  it.each(SIGNATURE_IDS)('has signature %s', (id) => {
    const signature = kb.signature(id);
    expect(signature?.tags).toContain('modern');
  });
});

// Test support for the detection engine: parse lines with the real parser, run the engine, build netfilter lines.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDetectionEngine, type DetectionConfig, type Finding } from '../src/detect/index.js';
import { makeContext } from '../src/formats/envelope/time.js';
import { isParseError, isParseSkip } from '../src/formats/types.js';
import { parseOneLine } from '../src/ingest/parse-line.js';
import { KnowledgeBase } from '../src/knowledge/index.js';
import { loadKnowledgeData } from '../src/knowledge/load.js';
import type { PortEntry } from '../src/knowledge/schema.js';
import { CORPUS as SHARED_CORPUS } from './helpers.js';

/** Reference time for year-less syslog stamps in tests (fixed, so runs are reproducible). */
export const TEST_REFERENCE = Date.UTC(2024, 11, 31, 23, 59, 59);

/**
 * Port entries the tests rely on, added only where the real knowledge base (written in parallel)
 * does not describe the port yet. Facts here are placeholders for the test, never shipped.
 */
const TEST_PORTS: [string, number[], 'tcp' | 'udp', PortEntry['kind'], string][] = [
  ['test-back-orifice', [31337], 'udp', 'trojan', 'Back Orifice'],
  ['test-netbus', [12345, 12346], 'tcp', 'trojan', 'NetBus'],
  ['test-subseven', [1243, 6776, 27374], 'tcp', 'trojan', 'Sub-7'],
  ['test-ingreslock', [1524], 'tcp', 'backdoor', 'ingreslock backdoor'],
  ['test-telnet', [23], 'tcp', 'service', 'Telnet'],
  ['test-rdp', [3389], 'tcp', 'service', 'RDP'],
  ['test-socks', [1080], 'tcp', 'proxy', 'SOCKS proxy'],
  ['test-mssql', [1433], 'tcp', 'service', 'Microsoft SQL Server'],
];

let kb: KnowledgeBase | undefined;
/** The real knowledge base, with the few test ports added where it lacks them. */
export function testKb(): KnowledgeBase {
  if (kb) return kb;
  const data = loadKnowledgeData();
  const real = new KnowledgeBase(data);
  for (const [id, ports, proto, kind, name] of TEST_PORTS) {
    if (ports.every((p) => real.portEntries(p, proto).some((e) => e.kind === kind))) continue;
    data.ports.push({
      id,
      ports,
      proto: [proto],
      name: { en: name, zh: name },
      kind,
      severity: kind === 'trojan' || kind === 'backdoor' ? 4 : 3,
      direction: 'inbound',
      facts: [{ en: 'test entry', zh: '测试条目', source: 'test' }],
      advice: { en: 'test', zh: '测试' },
      malware: kind === 'trojan' ? [name] : undefined,
    } as PortEntry);
  }
  kb = new KnowledgeBase(data);
  return kb;
}

/** Parse raw lines with the real parser and run them through a fresh engine. */
export function detect(lines: string[], config?: DetectionConfig, file = 'test.log'): Finding[] {
  const ctx = makeContext(TEST_REFERENCE);
  const engine = createDetectionEngine({ kb: testKb(), ...(config && { config }) });
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const r = parseOneLine(line, ctx);
    if (r === null || isParseError(r) || isParseSkip(r)) return;
    r.file = file;
    r.line = i + 1;
    engine.push(r, line);
  });
  return engine.finish();
}

/** Run a log file through the engine. */
export function detectFile(path: string, config?: DetectionConfig): Finding[] {
  return detect(readFileSync(path, 'utf8').split('\n'), config, path);
}

/** The shared corpus's iptables folder (../shared beside the checkout; absent on some machines). */
export const CORPUS = join(SHARED_CORPUS, 'iptables');
export const corpusPresent = existsSync(CORPUS);

/** Fields of one hand-built netfilter packet. */
export interface Pkt {
  t: number; // seconds after TEST_START
  src: string;
  dst: string;
  proto: 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6' | number;
  spt?: number;
  dpt?: number;
  flags?: string; // 'SYN', 'ACK FIN', '' ...
  ttl?: number;
  len?: number;
  id?: number;
  df?: boolean;
  window?: number;
  type?: number;
  code?: number;
  icmpId?: number;
  seq?: number;
  inIf?: string;
  outIf?: string;
  prefix?: string;
}

/** 2024-03-10 00:00:00 UTC: the day test logs are placed on. */
export const TEST_START = Date.UTC(2024, 2, 10);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hms = d.toISOString().slice(11, 19);
  return `${MONTHS[d.getUTCMonth()]} ${day} ${hms}`;
}

/** A kernel LOG line laid out exactly like the corpus (syslog header, uptime stamp, field order). */
export function nfLine(p: Pkt): string {
  const ms = TEST_START + Math.round(p.t * 1000);
  const v6 = p.src.includes(':');
  const inIf = p.inIf ?? (p.outIf ? '' : 'eth0');
  const outIf = p.outIf ?? '';
  const mac = inIf ? 'MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 ' : '';
  const protoName = typeof p.proto === 'number' ? String(p.proto) : p.proto;
  let l4 = '';
  if (p.proto === 'TCP') {
    const flags = p.flags ?? 'SYN';
    l4 = ` SPT=${p.spt ?? 40000} DPT=${p.dpt ?? 80} WINDOW=${p.window ?? 64240} RES=0x00 ${flags ? `${flags} ` : ''}URGP=0`;
  } else if (p.proto === 'UDP')
    l4 = ` SPT=${p.spt ?? 40000} DPT=${p.dpt ?? 53} LEN=${(p.len ?? 40) - (v6 ? 40 : 20)}`;
  else if (p.proto === 'ICMP' || p.proto === 'ICMPv6') {
    l4 = ` TYPE=${p.type ?? 8} CODE=${p.code ?? 0}`;
    if (p.icmpId !== undefined) l4 += ` ID=${p.icmpId} SEQ=${p.seq ?? 1}`;
  }
  const len = p.len ?? (p.proto === 'TCP' ? 60 : p.proto === 'UDP' ? 40 : 84);
  const ip = v6
    ? `LEN=${len} TC=0 HOPLIMIT=${p.ttl ?? 52} FLOWLBL=0`
    : `LEN=${len} TOS=0x00 PREC=0x00 TTL=${p.ttl ?? 52} ID=${p.id ?? 54321 - 1}${p.df === false ? '' : ' DF'}`;
  const uptime = (ms - TEST_START) / 1000 + 1000;
  return `${stamp(ms)} fw kernel: [${uptime.toFixed(6).padStart(12, ' ')}] ${p.prefix ?? 'DROP '}IN=${inIf} OUT=${outIf} ${mac}SRC=${p.src} DST=${p.dst} ${ip} PROTO=${protoName}${l4} `;
}

/** Detector ids present in a finding list (sorted, unique). */
export function ids(findings: Finding[]): string[] {
  return [...new Set(findings.map((f) => f.detector))].sort();
}

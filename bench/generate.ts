// Reproducible benchmark logs: a mix of netfilter dialects, a long tail of one-shot sources, persistent
// noisy sources and planted scans. Same seed, same bytes. Usage: tsx bench/generate.ts <lines> <out>
import { createWriteStream } from 'node:fs';
import { mulberry32 } from '../src/util/prng.js';

/** Detector ids of the scans the generator plants (each must show up as a finding of that detector). */
export type PlantedKind = 'vertical-scan' | 'horizontal-sweep' | 'trojan-probe' | 'slow-scan';

/** What was planted, so a benchmark can check detection still finds it at any size. */
export interface PlantedScan {
  kind: PlantedKind;
  source: string;
  /** Line range (1-based, inclusive) the scan occupies (a slow scan is interleaved with other traffic). */
  firstLine: number;
  lastLine: number;
}

/** Deterministic 32-bit PRNG (mulberry32), shared with the sample generator and the tests. */
export const prng = mulberry32;

/** Bumped whenever the bytes produced for a seed change, so cached files are regenerated. */
export const GENERATOR_VERSION = 2;

/** Lines of other traffic between two probes of a slow scan (~30 ms per line: ~30 s per probe). */
export const SLOW_SCAN_SPACING = 1000;
/** Distinct ports a slow scan probes. */
export const SLOW_SCAN_PROBES = 20;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const COMMON = [22, 23, 80, 443, 445, 3389, 8080, 1433, 3306, 5900, 25, 21, 53, 110, 139, 8443, 5060, 6379];
const TROJAN_PORTS = [1243, 27374, 31337, 12345, 6776];
const MAC4 = 'MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00';
const MAC6 = 'MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:86:dd';
const START = Date.UTC(2026, 10, 1);

/**
 * Line numbers (0-based count of lines already written) where a set of scans is planted: every 25k
 * lines in the first 100k (so the 100k file has some), then every 100k. A set is only planted when
 * the file is long enough to hold its slow scan.
 */
function isPlantPoint(lineNo: number, lines: number): boolean {
  const fits = lineNo + SLOW_SCAN_SPACING * (SLOW_SCAN_PROBES + 5) < lines;
  if (!fits) return false;
  if (lineNo < 100_000) return lineNo >= 20_000 && (lineNo - 20_000) % 25_000 === 0;
  return lineNo % 100_000 === 0;
}

/** Networks no real Internet source uses (by first two octets): CGNAT, loopback, link-local, private, test nets. */
function isBogon(a: number, b: number): boolean {
  return (
    (a === 100 && b >= 64 && b < 128) ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && (b === 168 || b === 0)) ||
    (a === 198 && (b === 18 || b === 19 || b === 51)) ||
    (a === 203 && b === 0)
  );
}

/** A source's TTL as it arrives: its OS's initial TTL minus a hop count, both fixed per address. */
function ttlFrom(src: string): number {
  let h = 2166136261;
  for (let i = 0; i < src.length; i++) h = Math.imul(h ^ src.charCodeAt(i), 16777619) >>> 0;
  return [64, 128, 255][h % 3]! - 4 - ((h >>> 8) % 20);
}

function bsd(t: number): string {
  const d = new Date(t);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${hh}:${mm}:${ss}`;
}

/** A slow scan in progress: one probe every SLOW_SCAN_SPACING lines. */
interface SlowScan {
  record: PlantedScan;
  ports: number[];
  nextLine: number;
}

/**
 * Write `lines` log lines to `out`. Returns the planted scans (with the line ranges they occupy).
 * Dialects: 62% RFC 3164 ufw with kernel uptime, 13% RFC 3164 custom iptables prefix, 8% rsyslog ISO
 * stamps, 5% firewalld, 4% nftables `log prefix`, 4% RFC 5424, plus ~4% IPv6 (ip6tables) lines.
 * Sources: 60% long tail (fresh random address; TCP SYN / UDP / ICMP, common or random ports), 40% from
 * a pool of 2,000 persistent noisy sources, each on its own one to three ports. Time advances 0-59 ms per line (~30 ms: ~2.9 M lines a day).
 * Planted (see isPlantPoint): a vertical scan, a horizontal sweep, a trojan probe and a slow scan.
 */
export async function generate(
  lines: number,
  out: NodeJS.WritableStream,
  seed = 20261125,
): Promise<PlantedScan[]> {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]) => a[int(a.length)]!;
  const randIp4 = (): string => {
    const a = 11 + int(212);
    const b = int(256);
    // Internet background comes from routable space; spoofed-looking sources would be their own story.
    return isBogon(a, b) ? randIp4() : `${a}.${b}.${int(256)}.${1 + int(254)}`;
  };
  const randIp6 = () =>
    `2a0${1 + int(9)}:${int(65536).toString(16)}:${int(65536).toString(16)}::${(1 + int(65535)).toString(16)}`;
  // Persistent noisy sources hammer one to three favourite ports (brute-forcers, worms), not scans.
  const pool = Array.from({ length: 2000 }, () => ({
    src: randIp4(),
    ports: Array.from({ length: 1 + int(3) }, () => pick(COMMON)),
    proto: rnd() < 0.85 ? ('TCP' as const) : ('UDP' as const),
  }));
  // Planted scanners come from a stream of their own, each from a /24 no other planted source uses, so
  // they are neither mistaken for one distributed scan nor shift the background when the mix changes.
  const plantedRnd = prng(seed ^ 0x5ca9);
  const usedNets = new Set<string>();
  const plantedSource = () => {
    for (;;) {
      const a = 11 + Math.floor(plantedRnd() * 212);
      const b = Math.floor(plantedRnd() * 256);
      const net = `${a}.${b}.${Math.floor(plantedRnd() * 256)}`;
      if (usedNets.has(net) || isBogon(a, b)) continue;
      usedNets.add(net);
      return `${net}.${1 + Math.floor(plantedRnd() * 254)}`;
    }
  };
  const planted: PlantedScan[] = [];
  const slowScans: SlowScan[] = [];
  let t = START;
  let buf: string[] = [];
  let lineNo = 0;
  const flush = async () => {
    if (buf.length === 0) return;
    if (!out.write(`${buf.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    buf = [];
  };
  const emit = (line: string) => {
    buf.push(line);
    lineNo++;
  };
  const packet = (src: string, dst: string, dpt: number, proto: 'TCP' | 'UDP' | 'ICMP') => {
    const ttl = ttlFrom(src);
    const id = int(65536);
    const spt = 1024 + int(64000);
    let body: string;
    if (src.includes(':')) {
      const head = `IN=eth0 OUT= ${MAC6} SRC=${src} DST=2001:0db8:0000:0000:0000:0000:0000:0010`;
      body =
        proto === 'TCP'
          ? `${head} LEN=80 TC=0 HOPLIMIT=${ttl} FLOWLBL=${id} PROTO=TCP SPT=${spt} DPT=${dpt} WINDOW=64800 RES=0x00 SYN URGP=0 `
          : proto === 'UDP'
            ? `${head} LEN=72 TC=0 HOPLIMIT=${ttl} FLOWLBL=${id} PROTO=UDP SPT=${spt} DPT=${dpt} LEN=32 `
            : `${head} LEN=104 TC=0 HOPLIMIT=${ttl} FLOWLBL=${id} PROTO=ICMPv6 TYPE=128 CODE=0 ID=${id} SEQ=1 `;
    } else {
      const head = `IN=eth0 OUT= ${MAC4} SRC=${src} DST=${dst}`;
      body =
        proto === 'TCP'
          ? `${head} LEN=60 TOS=0x00 PREC=0x00 TTL=${ttl} ID=${id} DF PROTO=TCP SPT=${spt} DPT=${dpt} WINDOW=64240 RES=0x00 SYN URGP=0 `
          : proto === 'UDP'
            ? `${head} LEN=78 TOS=0x00 PREC=0x00 TTL=${ttl} ID=${id} PROTO=UDP SPT=${spt} DPT=${dpt} LEN=58 `
            : `${head} LEN=84 TOS=0x00 PREC=0x00 TTL=${ttl} ID=${id} DF PROTO=ICMP TYPE=8 CODE=0 ID=${id} SEQ=1 `;
    }
    const r = rnd();
    const uptime = `[${((t - START) / 1000 + 1000).toFixed(6).padStart(12)}]`;
    const iso = new Date(t).toISOString();
    if (r < 0.62) return `${bsd(t)} edge kernel: ${uptime} [UFW BLOCK] ${body}`;
    if (r < 0.75) return `${bsd(t)} edge kernel: ${uptime} iptables DROP_INPUT: ${body}`;
    if (r < 0.83) return `${iso.replace('Z', '+00:00')} edge kernel: [UFW BLOCK] ${body}`;
    if (r < 0.88) return `${bsd(t)} edge kernel: filter_IN_public_REJECT: ${body}`;
    if (r < 0.92) return `${bsd(t)} edge kernel: ${uptime} nft drop in: ${body}`;
    return `<4>1 ${iso} edge kernel - - - [UFW BLOCK] ${body}`;
  };
  const plantSet = () => {
    // Vertical scan: 100 ports in ascending order on one host, in one burst.
    const vsrc = plantedSource();
    const vfirst = lineNo + 1;
    for (let p = 1; p <= 100; p++) emit(packet(vsrc, '192.0.2.10', p, 'TCP'));
    planted.push({ kind: 'vertical-scan', source: vsrc, firstLine: vfirst, lastLine: lineNo });
    // Horizontal sweep: 60 hosts on the SOCKS port.
    const hsrc = plantedSource();
    const hfirst = lineNo + 1;
    for (let h = 1; h <= 60; h++) emit(packet(hsrc, `192.0.2.${h}`, 1080, 'TCP'));
    planted.push({ kind: 'horizontal-sweep', source: hsrc, firstLine: hfirst, lastLine: lineNo });
    // Trojan probe: five classic backdoor ports.
    const tsrc = plantedSource();
    const tfirst = lineNo + 1;
    for (const p of TROJAN_PORTS) emit(packet(tsrc, '192.0.2.10', p, 'TCP'));
    planted.push({ kind: 'trojan-probe', source: tsrc, firstLine: tfirst, lastLine: lineNo });
    // Slow scan: starts now, one probe every SLOW_SCAN_SPACING lines, interleaved with the rest.
    const ssrc = plantedSource();
    const record: PlantedScan = { kind: 'slow-scan', source: ssrc, firstLine: lineNo + 1, lastLine: 0 };
    const ports = Array.from({ length: SLOW_SCAN_PROBES }, (_, i) => 2000 + 37 * i);
    slowScans.push({ record, ports, nextLine: lineNo });
    planted.push(record);
  };
  while (lineNo < lines) {
    t += int(60);
    const slow = slowScans[0];
    if (slow && lineNo >= slow.nextLine) {
      emit(packet(slow.record.source, '192.0.2.20', slow.ports.shift()!, 'TCP'));
      slow.record.lastLine = lineNo;
      slow.nextLine = lineNo + SLOW_SCAN_SPACING;
      if (slow.ports.length === 0) slowScans.shift();
    } else if (isPlantPoint(lineNo, lines)) {
      plantSet();
    } else {
      if (rnd() < 0.6) {
        const src = rnd() < 0.07 ? randIp6() : randIp4();
        const r = rnd();
        const proto = r < 0.75 ? 'TCP' : r < 0.95 ? 'UDP' : 'ICMP';
        const dpt = rnd() < 0.8 ? pick(COMMON) : 1 + int(65535);
        emit(packet(src, '192.0.2.10', dpt, proto));
      } else {
        const noisy = pick(pool);
        emit(packet(noisy.src, '192.0.2.10', pick(noisy.ports), noisy.proto));
      }
    }
    if (buf.length >= 10_000) await flush();
  }
  await flush();
  return planted;
}

/** Write a generated log to `path` and resolve with the planted scans once it is on disk. */
export async function generateFile(lines: number, path: string): Promise<PlantedScan[]> {
  const out = createWriteStream(path);
  const planted = await generate(lines, out);
  out.end();
  await new Promise<void>((resolve, reject) => {
    out.on('finish', () => resolve());
    out.on('error', reject);
  });
  return planted;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const path = process.argv[3] ?? `bench/out/netfilter-${n}.log`;
  const planted = await generateFile(n, path);
  process.stdout.write(`${JSON.stringify({ path, lines: n, planted: planted.length })}\n`);
}

// Reproducible benchmark logs: a mix of netfilter dialects, a long tail of one-shot sources, persistent
// noisy sources and planted scans. Same seed, same bytes. Usage: tsx bench/generate.ts <lines> <out>
import { createWriteStream } from 'node:fs';

/** What was planted, so a benchmark can check detection still finds it at any size. */
export interface PlantedScan {
  kind: 'vertical-scan' | 'horizontal-sweep' | 'trojan-probe';
  source: string;
  /** Line range (1-based, inclusive) the scan occupies. */
  firstLine: number;
  lastLine: number;
}

/** Deterministic 32-bit PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const COMMON = [22, 23, 80, 443, 445, 3389, 8080, 1433, 3306, 5900, 25, 21, 53, 110, 139, 8443, 5060, 6379];
const MAC = 'MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00';

function bsd(t: number): string {
  const d = new Date(t);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${hh}:${mm}:${ss}`;
}

/**
 * Write `lines` log lines to `out`. Returns the planted scans (with the line ranges they occupy).
 * Mix: 70% RFC 3164 ufw, 15% RFC 3164 iptables prefix with uptime stamp, 10% rsyslog ISO stamps,
 * 5% firewalld; TCP SYN / UDP / ICMP; sources: 60% long tail (fresh random address), 40% from a pool
 * of 2,000 persistent noisy sources.
 */
export async function generate(
  lines: number,
  out: NodeJS.WritableStream,
  seed = 20261125,
): Promise<PlantedScan[]> {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const randIp = () =>
    `${11 + Math.floor(rnd() * 212)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
  const pool = Array.from({ length: 2000 }, randIp);
  const planted: PlantedScan[] = [];
  // Plant one scan of each kind every 250k lines; each takes a run of consecutive lines.
  const every = 250_000;
  let t = Date.UTC(2026, 10, 1);
  let buf: string[] = [];
  let lineNo = 0;
  const flush = async () => {
    if (!out.write(`${buf.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    buf = [];
  };
  const emit = (line: string) => {
    buf.push(line);
    lineNo++;
  };
  const packet = (src: string, dst: string, dpt: number, proto: 'TCP' | 'UDP' | 'ICMP', flags = 'SYN') => {
    const ttl = 30 + Math.floor(rnd() * 200);
    const id = Math.floor(rnd() * 65536);
    const spt = 1024 + Math.floor(rnd() * 64000);
    const body =
      proto === 'TCP'
        ? `IN=eth0 OUT= ${MAC} SRC=${src} DST=${dst} LEN=60 TOS=0x00 PREC=0x00 TTL=${ttl} ID=${id} DF PROTO=TCP SPT=${spt} DPT=${dpt} WINDOW=64240 RES=0x00 ${flags} URGP=0 `
        : proto === 'UDP'
          ? `IN=eth0 OUT= ${MAC} SRC=${src} DST=${dst} LEN=78 TOS=0x00 PREC=0x00 TTL=${ttl} ID=${id} PROTO=UDP SPT=${spt} DPT=${dpt} LEN=58 `
          : `IN=eth0 OUT= ${MAC} SRC=${src} DST=${dst} LEN=84 TOS=0x00 PREC=0x00 TTL=${ttl} ID=${id} DF PROTO=ICMP TYPE=8 CODE=0 ID=${id} SEQ=1 `;
    const r = rnd();
    const uptime = ((t - Date.UTC(2026, 10, 1)) / 1000 + 1000).toFixed(6);
    if (r < 0.7) return `${bsd(t)} edge kernel: [${uptime.padStart(12)}] [UFW BLOCK] ${body}`;
    if (r < 0.85) return `${bsd(t)} edge kernel: [${uptime.padStart(12)}] iptables DROP_INPUT: ${body}`;
    if (r < 0.95)
      return `${new Date(t).toISOString().replace('Z', '+00:00')} edge kernel: [UFW BLOCK] ${body}`;
    return `${bsd(t)} edge kernel: filter_IN_public_REJECT: ${body}`;
  };
  while (lineNo < lines) {
    t += Math.floor(rnd() * 60);
    if (lineNo > 0 && lineNo % every === 0 && lineNo + 300 < lines) {
      const idx = lineNo / every;
      const vsrc = `203.0.113.${idx % 250}`;
      const first = lineNo + 1;
      for (let p = 1; p <= 100; p++) emit(packet(vsrc, '192.0.2.10', p, 'TCP'));
      planted.push({ kind: 'vertical-scan', source: vsrc, firstLine: first, lastLine: lineNo });
      const hsrc = `198.51.100.${idx % 250}`;
      const hfirst = lineNo + 1;
      for (let h = 1; h <= 60; h++) emit(packet(hsrc, `192.0.2.${h}`, 1080, 'TCP'));
      planted.push({ kind: 'horizontal-sweep', source: hsrc, firstLine: hfirst, lastLine: lineNo });
      const tsrc = `198.51.100.${(idx + 100) % 250}`;
      const tfirst = lineNo + 1;
      for (const p of [1243, 27374, 31337, 12345, 6776]) emit(packet(tsrc, '192.0.2.10', p, 'TCP'));
      planted.push({ kind: 'trojan-probe', source: tsrc, firstLine: tfirst, lastLine: lineNo });
    } else {
      const src = rnd() < 0.6 ? randIp() : pick(pool);
      const r = rnd();
      const proto = r < 0.75 ? 'TCP' : r < 0.95 ? 'UDP' : 'ICMP';
      const dpt = rnd() < 0.8 ? pick(COMMON) : 1 + Math.floor(rnd() * 65535);
      emit(packet(src, '192.0.2.10', dpt, proto));
    }
    if (buf.length >= 10_000) await flush();
  }
  await flush();
  return planted;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const path = process.argv[3] ?? `bench/out/netfilter-${n}.log`;
  const out = createWriteStream(path);
  const planted = await generate(n, out);
  out.end();
  await new Promise<void>((r) => out.on('finish', () => r()));
  process.stdout.write(`${JSON.stringify({ path, lines: n, planted: planted.length })}\n`);
}

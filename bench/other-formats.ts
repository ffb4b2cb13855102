// The benchmark's other inputs, made from the generated netfilter log so they carry the same packets and the
// same planted scans: a gzip copy, a FortiGate key=value log and a Suricata EVE JSON log (formats read by
// their readable parsers through the adapter, not by a byte fast path).
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { BenchLog } from './logs.js';

/** The other inputs the benchmark measures beside the plain netfilter log. */
export type OtherInput = 'gz' | 'fortigate' | 'suricata-eve';

const MONTH: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};
/** The generated logs start on 2026-11-01 (bench/generate.ts START). */
const YEAR = '2026';

/** What the converters need of one generated netfilter line. */
interface Packet {
  date: string;
  time: string;
  src: string;
  dst: string;
  proto: string;
  sport?: string;
  dport?: string;
  ttl?: string;
  len?: string;
  syn: boolean;
  ack: boolean;
  icmpType?: string;
  icmpCode?: string;
}

const field = (line: string, key: string): string | undefined => {
  const at = line.indexOf(` ${key}=`);
  if (at < 0) return undefined;
  const from = at + key.length + 2;
  const end = line.indexOf(' ', from);
  return line.slice(from, end < 0 ? undefined : end);
};

/** The packet of one generated line (BSD or ISO stamp), or undefined for a line it does not read. */
function packetOf(line: string): Packet | undefined {
  let date: string;
  let time: string;
  if (line.startsWith('<') || /^\d{4}-/.test(line)) {
    // `<4>1 2026-11-01T00:00:00.744Z edge kernel - - - ...` or `2026-11-01T00:07:20.203+00:00 edge kernel: ...`
    const stamp = (line.startsWith('<') ? line.split(' ')[1] : line.split(' ')[0]) ?? '';
    date = stamp.slice(0, 10);
    time = stamp.slice(11, 19);
  } else {
    const month = MONTH[line.slice(0, 3)];
    if (!month) return undefined;
    date = `${YEAR}-${month}-${line.slice(4, 6).trim().padStart(2, '0')}`;
    time = line.slice(7, 15);
  }
  const src = field(line, 'SRC');
  const dst = field(line, 'DST');
  const proto = field(line, 'PROTO');
  if (!src || !dst || !proto) return undefined;
  return {
    date,
    time,
    src,
    dst,
    proto,
    sport: field(line, 'SPT'),
    dport: field(line, 'DPT'),
    ttl: field(line, 'TTL') ?? field(line, 'HOPLIMIT'),
    len: field(line, 'LEN'),
    syn: line.includes(' SYN '),
    ack: line.includes(' ACK '),
    icmpType: field(line, 'TYPE'),
    icmpCode: field(line, 'CODE'),
  };
}

const PROTO_NUMBER: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1, ICMPv6: 58 };

/** A FortiGate traffic log line (deny, forward) for the packet. */
function fortigate(p: Packet, n: number): string {
  const ports = p.sport !== undefined ? ` srcport=${p.sport}` : '';
  const dports = p.dport !== undefined ? ` dstport=${p.dport}` : '';
  return `date=${p.date} time=${p.time} devname="FGT60E" devid="FGT60ETK19000001" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=${p.src}${ports} srcintf="wan1" srcintfrole="wan" dstip=${p.dst}${dports} dstintf="internal" dstintfrole="lan" sessionid=${n} proto=${PROTO_NUMBER[p.proto] ?? 0} action="deny" policyid=0 policytype="policy" service="${p.proto}/${p.dport ?? ''}" trandisp="noop" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0`;
}

/** A Suricata EVE `drop` record for the packet (the TCP flags in the drop object, as Suricata writes them). */
function suricataEve(p: Packet, n: number): string {
  const record: Record<string, unknown> = {
    timestamp: `${p.date}T${p.time}.000000+0000`,
    flow_id: 1_000_000_000 + n,
    in_iface: 'eth0',
    event_type: 'drop',
    src_ip: p.src,
    ...(p.sport !== undefined ? { src_port: Number(p.sport) } : {}),
    dest_ip: p.dst,
    ...(p.dport !== undefined ? { dest_port: Number(p.dport) } : {}),
    proto: p.proto === 'ICMPv6' ? 'IPv6-ICMP' : p.proto,
    ...(p.icmpType !== undefined
      ? { icmp_type: Number(p.icmpType), icmp_code: Number(p.icmpCode ?? 0) }
      : {}),
    drop: {
      len: Number(p.len ?? 0),
      ttl: Number(p.ttl ?? 0),
      ...(p.proto === 'TCP' ? { syn: p.syn, ack: p.ack } : {}),
    },
  };
  return JSON.stringify(record);
}

/** Bytes of a cached conversion are recorded beside it, so a partial file is made again. */
function cachedBytes(path: string): number | undefined {
  const side = `${path}.bytes`;
  if (!existsSync(path) || !existsSync(side)) return undefined;
  const bytes = Number(readFileSync(side, 'utf8'));
  return statSync(path).size === bytes ? bytes : undefined;
}

/** The other input made from `base` (cached in bench/out beside it). */
export async function ensureOtherInput(base: BenchLog, kind: OtherInput): Promise<BenchLog> {
  const path =
    kind === 'gz' ? `${base.path}.gz` : base.path.replace(/netfilter-(v\d+-[^/]+)\.log$/, `${kind}-$1.log`);
  const hit = cachedBytes(path);
  if (hit !== undefined) return { ...base, path, bytes: hit };
  process.stderr.write(`making ${path} ...\n`);
  const partial = `${path}.partial`;
  if (kind === 'gz') await pipeline(createReadStream(base.path), createGzip(), createWriteStream(partial));
  else {
    const out = createWriteStream(partial);
    const convert = kind === 'fortigate' ? fortigate : suricataEve;
    let n = 0;
    for await (const line of createInterface({
      input: createReadStream(base.path),
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      const p = packetOf(line);
      // Every generated line is a packet; a line the converter cannot read keeps the line count equal.
      const text = p ? convert(p, ++n) : line;
      if (!out.write(`${text}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }
  renameSync(partial, path);
  const bytes = statSync(path).size;
  writeFileSync(`${path}.bytes`, String(bytes));
  return { ...base, path, bytes };
}

// The netfilter byte fast path against the readable path (envelope reader + netfilter parser + adapter): every
// line the fast path accepts must give exactly the row the readable path gives, on real logs, the sample, a
// generated busy log and mutated lines; and it must accept nearly every line of ordinary logs.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generate.js';
import { CORPUS, HAVE_CORPUS, ingestText, ROOT } from '../../test/helpers.js';
import { GROWTH_LIMIT, hostileVariants, perByteGrowth } from '../../test/support/fuzz.js';
import type { FwEvent } from '../event.js';
import { makeContext } from '../formats/envelope/time.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from '../ingest/line-splitter.js';
import { canonicalIp, formatIpv6, ipv6Groups } from '../net/ip.js';
import { appendEvent, Dictionary, EventBatch, eventAt } from './batch.js';
import { ipv6At, NetfilterBytes } from './netfilter-bytes.js';

const YEAR = 2026;

/** Byte ranges of the lines the reader would hand on (its splitter, its offsets; flawed lines left out). */
function splitLines(buf: Buffer): [number, number][] {
  const splitter = new LineSplitter(DEFAULT_MAX_LINE_BYTES, true);
  const out: [number, number][] = [];
  for (const batch of [splitter.push(buf), splitter.end()]) {
    const flawed = new Set(batch.flaws?.map((f) => f.index));
    batch.offsets!.forEach((start, i) => {
      let end = start;
      while (end < buf.length && buf[end] !== 10 && buf[end] !== 13) end++;
      out.push(flawed.has(i) ? [start, -1] : [start, end]);
    });
  }
  return out;
}

interface Agreement {
  lines: number;
  accepted: number;
  /** Lines the readable path made an event of. */
  events: number;
  mismatches: string[];
}

/** Run both paths over one text and compare every row the fast path made. */
async function agree(text: Buffer): Promise<Agreement> {
  const { events } = await ingestText(text, { year: YEAR });
  const byLine = new Map<number, FwEvent>();
  for (const ev of events) byLine.set(ev.line!, ev);
  const dict = new Dictionary();
  const fast = new EventBatch(dict, 1);
  const slow = new EventBatch(dict, 1);
  const reader = new NetfilterBytes(fast, makeContext(Date.now(), { year: YEAR }));
  const result: Agreement = { lines: 0, accepted: 0, events: byLine.size, mismatches: [] };
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const [s, e] = lines[i]!;
    result.lines++;
    if (e < 0) continue; // too long or holding NULs: the reader reports it, no parser sees it
    fast.clear();
    if (!reader.readLine(text, s, e, 0, i + 1)) continue;
    result.accepted++;
    const got = eventAt(fast, 0);
    const ev = byLine.get(i + 1);
    if (ev === undefined) {
      result.mismatches.push(
        `line ${i + 1}: fast path made a row, the readable path no event: ${text.toString('utf8', s, e)}`,
      );
      continue;
    }
    slow.clear();
    appendEvent(slow, ev, 0, i + 1);
    const want = eventAt(slow, 0);
    try {
      expect(got).toEqual(want);
    } catch {
      result.mismatches.push(
        `line ${i + 1}: ${text.toString('utf8', s, e)}\n fast: ${JSON.stringify(got)}\n slow: ${JSON.stringify(want)}`,
      );
    }
  }
  return result;
}

const netfilterFiles = (): string[] => {
  const files: string[] = [join(ROOT, 'examples', 'sample.log')];
  const fixtures = join(ROOT, 'test', 'fixtures', 'netfilter');
  for (const f of readdirSync(fixtures)) if (f.endsWith('.log')) files.push(join(fixtures, f));
  const lab = join(ROOT, 'test', 'fixtures', 'lab');
  for (const d of readdirSync(lab))
    if (existsSync(join(lab, d, 'kern.log'))) files.push(join(lab, d, 'kern.log'));
  if (HAVE_CORPUS)
    for (const d of [
      'iptables',
      'ufw',
      'nftables',
      'other-unifi',
      'other-proxmox-pvefw',
      'other-kernel-netfilter-noise',
    ])
      for (const f of readdirSync(join(CORPUS, d))) files.push(join(CORPUS, d, f));
  return files;
};

let busy: string;
beforeAll(async () => {
  busy = join(mkdtempSync(join(tmpdir(), 'fwlens-nfb-')), 'busy.log');
  await generateFile(20_000, busy);
}, 60_000);

describe('netfilter byte fast path', () => {
  it('gives the readable path’s row for every line it accepts, on every netfilter log we have', async () => {
    let lines = 0;
    let accepted = 0;
    for (const path of netfilterFiles()) {
      const r = await agree(readFileSync(path));
      expect(r.mismatches, path).toEqual([]);
      lines += r.lines;
      accepted += r.accepted;
    }
    expect(lines).toBeGreaterThan(5_000);
    expect(accepted).toBeGreaterThan(lines / 2);
  }, 60_000);

  it('accepts nearly every line of the sample and of a generated busy log', async () => {
    const sample = await agree(readFileSync(join(ROOT, 'examples', 'sample.log')));
    expect(sample.mismatches).toEqual([]);
    // The sample's rejected lines are its damaged ones, ICMP errors quoting a packet, fragments and journald.
    expect(sample.accepted / sample.events).toBeGreaterThan(0.9);
    const r = await agree(readFileSync(busy));
    expect(r.mismatches).toEqual([]);
    expect(r.accepted / r.events).toBeGreaterThan(0.97);
  }, 60_000);

  it('agrees with the readable path on mutated lines (fields dropped, doubled, changed, swapped, cut)', async () => {
    // Sample lines (RFC 3164) and generated ones (RFC 5424, ISO stamps, several hosts and prefixes).
    const withSrc = (path: string, n: number) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.includes(' SRC='))
        .slice(0, n);
    const seeds = [...withSrc(join(ROOT, 'examples', 'sample.log'), 300), ...withSrc(busy, 300)];
    expect(seeds.some((l) => l.startsWith('<'))).toBe(true);
    const token = fc.constantFrom(
      '',
      ' ',
      '  ',
      'SYN',
      'ACK',
      'DF',
      'FRAG:8',
      'FRAG:',
      'SRC=',
      'SRC=203.0.113.07',
      'DST=2001:db8::1',
      'SRC=2001:0db8:0000:0000:0000:0000:0000:0001',
      'PROTO=47',
      'PROTO=999',
      'PROTO=ICMP',
      'PROTO=tcp',
      'PROTO=ICMPv6',
      'PROTO=ICMPx6',
      'PROTO=UDPLITE',
      'PROTO=TCX',
      'SPT=65536',
      'DPT=-1',
      'TTL=256',
      'TOS=0x1G',
      'TOS=16',
      'LEN=',
      'ID=4294967296',
      'SEQ=',
      'IN=',
      'OUT=eth1',
      'MAC=',
      'kernel:',
      '[UFW BLOCK]',
      '[ 123.456]',
      '[',
      'é',
      '\t',
      '<4>1',
      '<4>',
      '-',
      'kernel',
      '[x k="v"]',
      '2026-11-01T00:00:00.5+01:00',
      'Nov 99 25:61:61',
      'MTU=1500',
      'UID=0',
      'GID=0',
      'MARK=0x1',
      'HOPLIMIT=64',
      'TC=0',
      'FLOWLBL=5',
      'GATEWAY=192.0.2.1',
      'TYPE=8',
      'CODE=0',
      'SEQ=5',
      'ACK=9',
      'ACK=',
      'MACSRC=52:54:00:f3:0a:60',
      'MACDST=',
      'WINDOW=0',
      'ID=5',
      'CWR',
      'ECE',
      'URG',
      'PSH',
      'RST',
      'FIN',
      'MF',
      'SYNX',
      'D',
      '\r',
      'SRC=198.51.100.7\rNov 20 11:11:09 edge kernel: IN=eth0',
      // Keys read by their expected order first (KEY_ORDER), and near misses of it.
      'PREC=0x00',
      'RES=0x00',
      'URGP=0',
      'INX=eth0',
      'IN',
      'SRCX=198.51.100.7',
      'PROT=TCP',
      'WINDOW=',
      // Where the body's "IN=" is searched for (by its last byte, three bytes at a time): the letters of
      // "IN=" around it, glued to it, and before it in the prefix.
      'xIN=eth0',
      'IIN=eth0',
      'INN=eth0',
      'NIN=',
      'I=N=',
      '[IN=]',
      ':IN=eth0',
      '"IN=eth0',
      ']IN=eth0',
      'IN=IN=eth0',
      'BLOCKIN=',
      '[UFW IN=',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.nat(4), token), { minLength: 1, maxLength: 4 }),
        async (seed, edits) => {
          let words = seed.split(' ');
          for (const [at, op, tok] of edits) {
            const k = at % (words.length + 1);
            if (op === 0) words.splice(k, 1);
            else if (op === 1) words.splice(k, 0, words[k] ?? tok);
            else if (op === 2) words.splice(k, 1, tok);
            else if (op === 3) words = words.slice(0, Math.max(1, k));
            else if (k + 1 < words.length) [words[k], words[k + 1]] = [words[k + 1]!, words[k]!];
          }
          const r = await agree(Buffer.from(words.join(' ')));
          expect(r.mismatches).toEqual([]);
        },
      ),
      { seed: 20261205, numRuns: 1000 },
    );
  }, 120_000);

  it('reads an IPv6 address from its bytes as the readable path does, or declines it (property)', () => {
    const group = fc.oneof(
      fc.constantFrom('0', '00', '0000', 'ffff', 'FFFF', 'db8', '2001', '1'),
      fc.stringMatching(/^[0-9a-fA-F]{1,5}$/),
    );
    const glue = fc.constantFrom(':', ':', ':', '::', ':::', '.', '%', 'g', '');
    const address = fc.oneof(
      // Mostly near-valid forms: groups joined by colons, at most one `::`, cut or padded.
      fc
        .tuple(fc.array(group, { minLength: 0, maxLength: 9 }), fc.nat(9), fc.boolean())
        .map(([gs, at, gap]) => {
          const parts = [...gs];
          if (gap) parts.splice(at % (parts.length + 1), 0, '');
          const text = parts.join(':');
          return text === ':' ? '::' : text;
        }),
      fc.array(fc.oneof(group, glue), { maxLength: 16 }).map((xs) => xs.join('')),
      fc.constantFrom(
        '::',
        '::1',
        '1::',
        '::ffff:192.0.2.1',
        'fe80::1%eth0',
        '1:2:3:4:5:6:7::',
        '::2:3:4:5:6:7:8',
      ),
    );
    const groups: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
    let accepted = 0;
    fc.assert(
      fc.property(address, (text) => {
        const buf = Buffer.from(`SRC=${text} `);
        const ok = ipv6At(buf, 4, buf.length - 1, groups);
        if (!ok) return;
        accepted++;
        // Accepted: exactly the readable path's groups and canonical text.
        expect(groups).toEqual(ipv6Groups(text));
        expect(formatIpv6(groups)).toBe(canonicalIp(text));
      }),
      { seed: 20261205, numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(500);
    const full = Buffer.from('2001:0db8:0000:0000:0000:ff00:0042:8329');
    expect(ipv6At(full, 0, full.length, groups)).toBe(true);
    expect(formatIpv6(groups)).toBe('2001:db8::ff00:42:8329');
  });

  it('agrees with the readable path on MAC tokens cut or changed right after lines with the same MACs', async () => {
    // The MACs read before let the fast path look for the token's end after them; each variant follows a line
    // with the same two MACs, so that shortcut is taken wherever it can be.
    const head = 'Nov 20 10:00:00 fw kernel: [UFW BLOCK] IN=eth0 OUT= ';
    const tail =
      'SRC=198.51.100.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1234 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0';
    const dstMac = '52:54:00:f3:0b:10';
    const srcMac = '52:54:00:f3:0a:60';
    const variants = [
      `${dstMac}:${srcMac}:08:00`,
      `${dstMac}:${srcMac}`,
      `${dstMac}:${srcMac}:08:00:ff:ee`,
      `${dstMac}:${srcMac.slice(0, 16)}`,
      `${dstMac}:${srcMac.slice(0, 16)} 0:08:00`,
      `${dstMac}-${srcMac}:08:00`,
      `${dstMac} ${srcMac}:08:00`,
      `${dstMac}:${srcMac.slice(0, 8)}`,
      `${dstMac}:52:54:00:f3:0a:61:08:00`,
      `${dstMac}`,
      `${dstMac}:`,
      '',
    ];
    const normal = `${head}MAC=${dstMac}:${srcMac}:08:00 ${tail}`;
    const lines = variants.flatMap((v) => [normal, `${head}MAC=${v} ${tail}`, `${head}MAC=${v}${tail}`]);
    const r = await agree(Buffer.from(`${lines.join('\n')}\n`));
    expect(r.mismatches).toEqual([]);
    // The plain lines and most variants are read by the fast path, not left to the readable one.
    expect(r.accepted).toBeGreaterThanOrEqual(variants.length * 2);
  });

  it('leaves the batch as it was when it declines a line', () => {
    const batch = new EventBatch(new Dictionary(), 4);
    const reader = new NetfilterBytes(batch, makeContext(Date.now(), { year: YEAR }));
    const good = Buffer.from(
      'Nov 20 11:11:09 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TTL=51 ID=1 PROTO=TCP SPT=1 DPT=2 WINDOW=1 SYN',
    );
    const bad = Buffer.from(
      'Nov 20 11:11:09 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 PROTO=TCP',
    );
    expect(reader.readLine(bad, 0, bad.length, 0, 1)).toBe(false);
    expect(batch.length).toBe(0);
    expect(reader.readLine(good, 0, good.length, 0, 2)).toBe(true);
    expect(batch.length).toBe(1);
    expect(eventAt(batch, 0)).toMatchObject({
      sourceIp: '203.0.113.7',
      destinationPort: 2,
      tcpFlags: ['SYN'],
      action: 'deny',
      ruleName: 'UFW BLOCK',
      line: 2,
    });
    expect([reader.read, reader.declined]).toEqual([2, 1]);
  });

  it(`reads a hostile line in linear time: a token grown from 4 KB to 60 KB costs at most ${GROWTH_LIMIT}x the work per byte`, () => {
    // Lines the fast path accepts as they are (the growth then tests its reading, not an early decline).
    const seeds = readFileSync(join(ROOT, 'examples', 'sample.log'), 'utf8')
      .split('\n')
      .filter((l) => / kernel: .*SRC=\d.*PROTO=TCP .*SYN/.test(l))
      .slice(0, 2);
    expect(seeds.length).toBe(2);
    const batch = new EventBatch(new Dictionary(), 1);
    const reader = new NetfilterBytes(batch, makeContext(0, { year: YEAR }));
    let accepted = 0;
    const run = (line: string) => {
      const buf = Buffer.from(line, 'latin1');
      batch.clear();
      if (reader.readLine(buf, 0, buf.length, 0, 1)) accepted++;
    };
    for (const seed of seeds) {
      run(seed);
      expect(accepted).toBeGreaterThan(0);
      // Every third variant, as the format fuzz suite does: runs of blanks, '=', 'a=b ', digits, brackets ...
      for (const variant of hostileVariants(seed).filter((_, i) => i % 3 === 0)) {
        const grew = perByteGrowth(run, variant.grown);
        expect(grew, `${variant.label}: ${grew?.size} bytes, ${grew?.ratio.toFixed(1)}x per byte`).toBeNull();
      }
    }
  });
});

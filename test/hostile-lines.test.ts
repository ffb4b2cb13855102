// Lines built to make backtracking parsers take seconds to minutes (issue 14): each must be read quickly, through
// the same routing `analyze` uses (every format's detect(), then parsers), with the same verdict as a short one.
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../src/formats/index.js';
import { ingestText } from './helpers.js';

/** What the pipeline made of one line. */
type Verdict = 'event' | 'malformed' | 'non-traffic' | 'unrecognized';

/**
 * The reader's line cap (64 KiB by default) would stop these lines before any parser saw them: raised here,
 * so the parsers themselves are held to linear time (the cap is a second defence, tested on its own).
 */
const NO_CAP = { maxLineBytes: 4 << 20 };

/** The verdict on the last line of `text` (earlier lines only set which format the router tries first). */
async function lastLineVerdict(text: string): Promise<Verdict> {
  const before = text.includes('\n')
    ? await ingestText(text.slice(0, text.lastIndexOf('\n')), NO_CAP)
    : undefined;
  const { stats } = await ingestText(text, NO_CAP);
  const delta = (k: 'events' | 'malformed' | 'nonTraffic' | 'unrecognized') =>
    stats[k] - (before?.stats[k] ?? 0);
  if (delta('events') > 0) return 'event';
  if (delta('malformed') > 0) return 'malformed';
  if (delta('nonTraffic') > 0) return 'non-traffic';
  expect(delta('unrecognized')).toBe(1);
  return 'unrecognized';
}

/** Each format's detect() on a message: all must answer (routing calls every one on every line). */
function detectAll(message: string): number[] {
  return FORMATS.map((f) => f.detect(message, { message, host: undefined, timestamp: undefined } as never));
}

/**
 * 256 KiB: far past any real log line. Quadratic matching took minutes here (80 KB: 3-10 s) and cubic never
 * finished, so the old parsers fail these tests by their timeout.
 */
const BIG = 262_144;

/** The hostile lines of the issue and of each pattern this change replaced, with the verdict each must get. */
const CASES: { name: string; line: (n: number) => string; verdict: Verdict; size?: number }[] = [
  {
    name: 'watchguard: Deny and a run of blanks (the issue: 4 KB took 30 s, 8 KB never finished)',
    line: (n) => `Dec  4 10:00:00 fw1 firewall: msg_id="3000-0148" Deny ${' '.repeat(n)}!`,
    verdict: 'malformed',
  },
  {
    name: 'watchguard: 12.10 layout with many dispositions and no closing parenthesis',
    line: (n) =>
      `FVE1 firewall: msg_id="3000-0148" Deny 203.0.113.7 192.0.2.10 http/tcp ${'x Denied ('.repeat(n / 10)}`,
    verdict: 'malformed',
  },
  {
    name: 'cisco-asa: an endpoint followed by many (x) groups',
    line: (n) =>
      `%ASA-4-106023: Deny tcp src outside:203.0.113.9/44321${'(x)'.repeat(n / 3)}y dst inside:192.0.2.10/23 by access-group "IN"`,
    verdict: 'malformed',
  },
  {
    name: 'cisco-asa: blanks after the destination',
    line: (n) =>
      `%ASA-2-106001: Inbound TCP connection denied from 203.0.113.9/1 to 192.0.2.10/23 flags ${'\t'.repeat(n)}x`,
    verdict: 'malformed',
  },
  {
    name: 'cisco-asa: a teardown with many " to "',
    line: (n) => `%ASA-6-302014: Teardown TCP connection 1 for o${' to 0'.repeat(n / 5)}`,
    verdict: 'malformed',
  },
  {
    name: 'nftables-trace: a blank tail',
    line: (n) => `trace id 8d3f5a4e ip filter input rule tcp dport 22 drop${' '.repeat(n)}x`,
    verdict: 'non-traffic',
  },
  {
    name: 'nftables-trace: many verdict markers',
    line: (n) => `trace id 8d3f5a4e ip filter input rule x${' (verdict a'.repeat(n / 11)}`,
    verdict: 'non-traffic',
  },
  {
    name: 'checkpoint: a long word and unclosed quotes',
    line: (n) =>
      `<134>1 2026-03-14T08:14:00Z gw-01 CheckPoint 2211 - [action:"Drop"; ${'a'.repeat(n)}:"\\"\\"]`,
    verdict: 'non-traffic',
  },
  {
    name: 'fortigate: a key after a long run of brackets (parseKeyValues)',
    line: (n) =>
      `date=2026-11-25 time=16:46:39 devname="FGT60E" devid="FGT60E0000000001" logid="0000000013" type="traffic" subtype="forward" vd="root" ${'['.repeat(n)} =b`,
    verdict: 'non-traffic',
  },
  {
    name: 'cef: an extension value of many `=` (parseCefExtension)',
    line: (n) => `CEF:0|Acme|EdgeWall|4.2|100|Connection denied|5|src=203.0.113.7 msg=x${'=a'.repeat(n / 2)}`,
    verdict: 'event',
    // The old reader searched back to the last blank with a fast native scan: 256 KiB took 4 s, 1 MiB a minute.
    size: 4 * BIG,
  },
  {
    name: 'leef: an attribute value of many `=`',
    line: (n) => `LEEF:1.0|Acme|EdgeWall|4.2|traffic-deny|src=203.0.113.7 msg=x${'=a'.repeat(n / 2)}`,
    verdict: 'event',
  },
  {
    name: 'stormshield: many id= fields (every detect() runs on it)',
    line: (n) =>
      `id=firewall time="2026-11-25 16:46:39" fw="SN310A00000001" tz=+0100 src=203.0.113.7 dst=192.0.2.10${' id=x'.repeat(n / 5)}`,
    verdict: 'non-traffic',
    // Routing ran SonicWall's detect() on it, which rescanned the tail from every `id=`: 256 KiB took 10-15 s.
    size: 2 * BIG,
  },
  {
    name: 'clavister: many id= fields',
    line: (n) =>
      `EFW: CONN: prio=1 id=00600001 rev=1 event=conn_open action=allow connsrcip=192.0.2.10 conndestip=203.0.113.5${' id=x'.repeat(n / 5)}`,
    verdict: 'event',
    // Routing ran SonicWall's detect() on it, which rescanned the tail from every `id=`: 256 KiB took 10-15 s.
    size: 2 * BIG,
  },
  {
    name: 'forcepoint: many id= fields',
    line: (n) =>
      `CEF:0|FORCEPOINT|Firewall|6.8.5|70019|Connection_Discarded|0|src=203.0.113.7 dst=192.0.2.10 act=Discard${' id=x'.repeat(n / 5)}`,
    verdict: 'event',
    // Routing ran SonicWall's detect() on it, which rescanned the tail from every `id=`: 256 KiB took 10-15 s.
    size: 2 * BIG,
  },
  {
    name: 'sonicwall: many id= fields',
    line: (n) => `id=firewall sn=0040100C0FFE time="2026-11-25 16:46:39 UTC"${' id=x'.repeat(n / 5)}`,
    verdict: 'unrecognized',
  },
  {
    name: 'sophos: many log_id fields',
    line: (n) => `${'log_id=1 '.repeat(n / 9)}`,
    verdict: 'unrecognized',
  },
  {
    name: 'juniper-srx: a session tuple of slashes and arrows',
    line: (n) => `RT_FLOW_SESSION_DENY: session denied 0${'/0->-'.repeat(n / 5)}: x/1->//0 /`,
    verdict: 'malformed',
  },
  {
    name: 'mikrotik: many out: parts',
    line: (n) => `firewall,info input: in:${' out:, x'.repeat(n / 8)}`,
    verdict: 'malformed',
  },
  {
    name: 'netscreen: many screen-alarm starts',
    line: (n) =>
      `NetScreen device_id=x [Root]system-alert-00016: ${'! From ( to p, proto ! (zone z, int z'.repeat(n / 38)}`,
    verdict: 'non-traffic',
  },
  {
    name: 'barracuda: blanks before the fields',
    line: (n) => `Security fw01 Block: ${' '.repeat(n)}x`,
    verdict: 'non-traffic',
  },
  {
    name: 'ipfw: many protocol words and an open fragment note',
    line: (n) => `ipfw: 0 u${' TCP . x in via r (frag p'.repeat(n / 25)}`,
    verdict: 'malformed',
  },
  {
    name: 'zonealarm: many N/A columns',
    line: (n) => `ACCESS,2024/03/14,09:43:48 -5:00 GMT,x was blocked${',N/A'.repeat(n / 4)}x`,
    verdict: 'malformed',
  },
];

describe('hostile lines are read in linear time with the verdict of a short one', () => {
  for (const c of CASES) {
    it(c.name, { timeout: 20_000 }, async () => {
      expect(await lastLineVerdict(c.line(16))).toBe(c.verdict);
      expect(await lastLineVerdict(c.line(c.size ?? BIG))).toBe(c.verdict);
      expect(detectAll(c.line(c.size ?? BIG))).toEqual(detectAll(c.line(16)));
    });
  }

  it('a journald record nested deeper than any record is reported, not parsed (JSON.parse: 3 ms on 48 KB)', async () => {
    const record = (n: number) =>
      `{"__REALTIME_TIMESTAMP":"1764089271123456","MESSAGE":"kernel: IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 PROTO=TCP SPT=1 DPT=22","X":${'['.repeat(n)}${']'.repeat(n)}}`;
    expect(await lastLineVerdict(record(16))).toBe('event');
    expect(await lastLineVerdict(record(30_000))).toBe('malformed');
  });

  it('the issue line with 4,000 blanks', { timeout: 20_000 }, async () => {
    const line = `Dec  4 10:00:00 fw1 firewall: msg_id="3000-0148" Deny ${' '.repeat(4000)}!`;
    expect(await lastLineVerdict(line)).toBe('malformed');
  });
});

/** Tails appended to (a prefix of) every format's example line: blank runs, words, groups, pairs, quotes. */
const TAILS: ((n: number) => string)[] = [
  (n) => `${' '.repeat(n)}!`,
  (n) => `${'\t '.repeat(n / 2)}x`,
  (n) => ' a'.repeat(n / 2),
  (n) => ' (x)'.repeat(n / 4),
  (n) => ' a='.repeat(n / 3),
  (n) => ` k="${'\\"'.repeat(n / 2)}`,
  (n) => ` ${'a'.repeat(n)}`,
];

describe('every format reads its example line with a hostile tail as it reads a short tail', () => {
  for (const format of FORMATS) {
    if (typeof format.example !== 'string') continue;
    const example = format.example.split('\n')[0]!;
    const words = example.split(' ');
    // The whole line and cuts after its first words, where the lines put their payload.
    const heads = [...new Set([1, 2, 3, 5, words.length].map((k) => words.slice(0, k).join(' ')))];
    it(format.id, { timeout: 20_000 }, async () => {
      for (const head of heads)
        for (const tail of TAILS) {
          const short = await lastLineVerdict(`${example}\n${head}${tail(1024)}`);
          expect(await lastLineVerdict(`${example}\n${head}${tail(BIG / 16)}`), `${head}|${tail(8)}...`).toBe(
            short,
          );
        }
    });
  }
});

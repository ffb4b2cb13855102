// severityOf must agree with the full explanation for every packet shape, and serve repeats fast.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { knowledgeBase } from '../knowledge/index.js';
import { explainEvent, severityKey, severityOf } from './index.js';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
const NETFILTER_DIRS = ['iptables', 'ufw', 'nftables', 'other-proxmox-pvefw', 'other-kernel-netfilter-noise'];

function corpusEvents(): FwEvent[] {
  const out: FwEvent[] = [];
  for (const dir of NETFILTER_DIRS) {
    const path = join(CORPUS, dir);
    if (!existsSync(path)) continue;
    for (const file of readdirSync(path).filter((f) => f.endsWith('.log')))
      for (const line of readFileSync(join(path, file), 'utf8').split('\n')) {
        const r = parseOneLine(line);
        if (r && !('error' in r) && !('skip' in r)) out.push(r);
      }
  }
  return out;
}

const kb = knowledgeBase();

describe.skipIf(!existsSync(CORPUS))('severityOf over the netfilter corpus (needs ../shared)', () => {
  const events = corpusEvents();
  it('parses a real amount of traffic', () => {
    expect(events.length).toBeGreaterThan(200);
  });
  it('returns the full explanation score for every event, even after the cache is warm', () => {
    for (const ev of events) severityOf(ev, kb); // warm: later events may hit shapes of earlier ones
    const wrong = events.filter((ev) => severityOf(ev, kb) !== explainEvent(ev, kb).severity.score);
    expect(wrong.map((ev) => `${severityKey(ev, kb)} ${JSON.stringify(ev)}`)).toEqual([]);
    const shapes = new Set(events.map((ev) => severityKey(ev, kb)));
    expect(shapes.size).toBeLessThan(events.length);
  });
});

describe('severityOf cache', () => {
  const line = (sport: number, dport: number, src: string) =>
    `IN=eth0 OUT= SRC=${src} DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=${sport} DPT=${dport} WINDOW=1024 RES=0x00 SYN URGP=0`;
  const ev = (sport: number, dport: number, src: string) => parseOneLine(line(sport, dport, src)) as FwEvent;

  it('gives one shape one key, and different meanings different keys', () => {
    expect(severityKey(ev(40001, 31337, '203.0.113.5'), kb)).toBe(
      severityKey(ev(40999, 31337, '203.0.113.77'), kb),
    );
    expect(severityKey(ev(40001, 31337, '203.0.113.5'), kb)).not.toBe(
      severityKey(ev(40001, 31337, '10.0.0.5'), kb),
    );
    expect(severityKey(ev(53, 31337, '203.0.113.5'), kb)).not.toBe(
      severityKey(ev(40001, 31337, '203.0.113.5'), kb),
    );
  });

  it('counts a source port below 1024 as reserved, 1024 itself as the first client port', () => {
    const reserved = (sport: number) =>
      explainEvent(ev(sport, 31337, '203.0.113.5'), kb).severity.reasons.some((r) =>
        /Reserved low port/.test(r.text.en),
      );
    expect([900, 1000, 1023].map(reserved)).toEqual([true, true, true]);
    expect([1024, 1025, 40000].map(reserved)).toEqual([false, false, false]);
    expect(severityOf(ev(1024, 31337, '203.0.113.5'), kb)).toBe(
      severityOf(ev(40000, 31337, '203.0.113.5'), kb),
    );
  });

  it('collapses 20,000 packets into a handful of cached shapes (what makes the fast path fast)', () => {
    // Random high source ports and different sources of one class must not make new cache keys:
    // every distinct key costs a score-only run of the explainers; a repeat costs one Map look-up.
    const events = Array.from({ length: 20_000 }, (_, i) =>
      ev(40000 + (i % 20000), [22, 23, 80, 31337][i % 4]!, `203.0.113.${i % 250}`),
    );
    const shapes = new Set(events.map((e) => severityKey(e, kb)));
    // 4 ports x source-port ranges (Linux and IANA ephemeral overlap) x .0/.255 edge addresses.
    expect(shapes.size).toBeLessThanOrEqual(16);
    for (const e of events) expect(severityOf(e, kb)).toBe(explainEvent(e, kb).severity.score);
  });

  it('keys an ICMP packet by its type and code, also when its line gives it ports', () => {
    // A netfilter line may carry SPT=/DPT= after PROTO=ICMP: the ports must not stand in for the type in the key
    // (they did, and every ICMP type of such lines got the score of the first one seen).
    const icmp = (type: number, code: number) =>
      parseOneLine(
        `IN=eth0 OUT= SRC=203.0.113.5 DST=198.51.100.7 LEN=84 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=ICMP TYPE=${type} CODE=${code} ID=5 SEQ=1 SPT=40000 DPT=40000`,
      ) as FwEvent;
    const events = [icmp(8, 0), icmp(8, 7), icmp(0, 0), icmp(5, 1), icmp(13, 0)];
    expect(events.every((e) => e.destinationPort === 40000)).toBe(true);
    expect(new Set(events.map((e) => explainEvent(e, kb).severity.score)).size).toBeGreaterThan(1);
    for (const e of events) expect(severityOf(e, kb)).toBe(explainEvent(e, kb).severity.score);
  });

  it('keeps caching, with exact scores, after a log names more odd transports than the id table holds', () => {
    // A hostile PROTO= per line (protos.py): the transport ids run out. Known transports keep their ids,
    // odd ones are keyed by their text; no key may be NaN (NaN meant an uncached score for every event).
    const odd = (i: number, sport = 40001, dport = 22) => {
      const e = ev(sport, dport, '203.0.113.5');
      e.transport = `p${String(i).padStart(15, 'x')}`;
      return e;
    };
    for (let i = 0; i < 1500; i++) severityOf(odd(i), kb);
    const later = [ev(40001, 22, '203.0.113.5'), ev(53, 31337, '10.0.0.5'), odd(7), odd(2000, 80, 443)];
    const proto = ev(40001, 22, '203.0.113.5');
    proto.transport = 'proto-200';
    later.push(proto);
    for (const e of later) {
      expect(severityKey(e, kb)).not.toMatch(/NaN/);
      expect(severityOf(e, kb)).toBe(explainEvent(e, kb).severity.score);
      expect(severityOf(e, kb)).toBe(explainEvent(e, kb).severity.score); // from the cache
    }
    expect(severityKey(odd(7), kb)).not.toBe(severityKey(odd(8), kb));
    for (let i = 0; i < 1500; i += 37)
      expect(severityOf(odd(i), kb)).toBe(explainEvent(odd(i), kb).severity.score);
  });
});

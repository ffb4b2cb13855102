// The score-only run of the explainers (scoreEvent, behind severityOf) against the full explanation: the same
// score for random realistic events and for every event of the fixtures and the corpus, and no text rendered.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORPUS, HAVE_CORPUS, ingestFiles, ROOT } from '../../test/helpers.js';
import type { Direction, EventAction, FwEvent, TcpFlag } from '../event.js';
import { FORMATS } from '../formats/index.js';
import { MESSAGES } from '../i18n.js';
import { KnowledgeBase, knowledgeBase, portRange } from '../knowledge/index.js';
import { explainEvent, scoreEvent, severityKey, severityOf } from './index.js';
import { eventOf } from './test-support.js';

const kb = knowledgeBase();

/**
 * The knowledge base with every zero severity delta of an address, source port or flag entry made +1: rules the
 * shipped data leaves without effect (the one known host moves nothing) must agree too.
 */
const nudged = new KnowledgeBase({
  ...kb.data,
  addresses: kb.data.addresses.map((e) => (e.severityDelta === 0 ? { ...e, severityDelta: 1 } : e)),
  sourcePorts: kb.data.sourcePorts.map((e) => (e.severityDelta === 0 ? { ...e, severityDelta: 1 } : e)),
  tcpFlags: kb.data.tcpFlags.map((e) => (e.severityDelta === 0 ? { ...e, severityDelta: 1 } : e)),
});

/** Fixed seed so a failure reproduces; fast-check prints it with the shrunk counterexample. */
const PROPERTY_SEED = 27_122_026;

/** Reads of the message catalogue while `run` runs: every rendered message (tBoth, t) reads its entry once per language. */
function messagesRead(run: () => void): number {
  const catalogue = MESSAGES as Record<string, unknown>;
  const saved = Object.entries(catalogue);
  let reads = 0;
  for (const [key, value] of saved)
    Object.defineProperty(catalogue, key, {
      configurable: true,
      enumerable: true,
      get: () => {
        reads++;
        return value;
      },
    });
  try {
    run();
  } finally {
    for (const [key, value] of saved)
      Object.defineProperty(catalogue, key, { configurable: true, enumerable: true, writable: true, value });
  }
  return reads;
}

/** A few addresses of each knowledge-base block (its first, second and last-but-one), IPv4 and IPv6. */
function knowledgeAddresses(): string[] {
  const out: string[] = [];
  for (const e of [...kb.data.addresses, ...kb.data.scanners])
    for (const cidr of e.cidrs ?? []) {
      const [base, bits] = cidr.split('/') as [string, string | undefined];
      out.push(base);
      if (base.includes(':')) {
        if (base.endsWith('::')) out.push(`${base}1`);
        continue;
      }
      const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      const size = 2 ** (32 - Number(bits ?? 32));
      for (const v of [n + 1, n + size - 2])
        if (size > 2) out.push([24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.'));
    }
  return out;
}

/** Addresses the explainers tell apart: documentation, private, loopback, broadcast edges, multicast, IPv6 ... */
const SPECIAL_ADDRESSES = [
  '203.0.113.7',
  '203.0.113.255',
  '203.0.113.0',
  '198.51.100.40',
  '192.0.2.10',
  '8.8.8.8',
  '10.0.0.23',
  '10.0.0.255',
  '192.168.1.5',
  '172.16.4.4',
  '127.0.0.1',
  '169.254.3.3',
  '100.64.1.2',
  '198.18.0.5',
  '0.0.0.0',
  '255.255.255.255',
  '224.0.0.1',
  '239.255.255.250',
  '2001:db8::1',
  '2001:db8::ff',
  '2a00:1450::1',
  'fe80::1',
  '::1',
  '::',
  'ff02::1',
  'fc00::5',
  '::ffff:10.0.0.1',
  '64:ff9b::1',
  '64:ff9b::c633:6407',
];

/** Every port of an entry list, range ends included. */
const portsOf = (entries: readonly { ports: (number | string)[] }[]) => [
  ...new Set(entries.flatMap((e) => e.ports.flatMap((p) => portRange(p)))),
];
/** Server ports whose packets answer clients (the built-in ones and the knowledge base's), and port 0. */
const SOURCE_PORTS = [0, 20, 53, 123, ...portsOf(kb.data.sourcePorts)];
/** Destination ports with a story, and the range edges. */
const DESTINATION_PORTS = [0, 1, 1023, 1024, 49151, 49152, 65535, ...portsOf(kb.data.ports)];

const TRANSPORTS = [
  'sctp',
  'udplite',
  'icmpv6',
  'igmp',
  'gre',
  'esp',
  'ah',
  'proto-200',
  'p-xxxxxxxxxxxxxxx7',
];
const FLAGS: TcpFlag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR'];
const FORMAT_IDS = ['netfilter', 'aws-vpc-flow', 'zeek-conn', 'suricata-eve', 'cisco-asa', 'pf-filterlog'];
/** ICMP types whose messages quote a packet (RFC 792, RFC 4443). */
const ICMP_ERROR_TYPES = [3, 4, 5, 11, 12, 1, 2];

const address = fc.oneof(
  fc.constantFrom(...SPECIAL_ADDRESSES),
  fc.constantFrom(...knowledgeAddresses()),
  fc.ipV4(),
  fc.ipV6(),
);
const port = fc.oneof(
  fc.constantFrom(...SOURCE_PORTS),
  fc.constantFrom(...DESTINATION_PORTS),
  fc.integer({ min: 1024, max: 65_535 }),
  fc.integer({ min: 0, max: 65_535 }),
);
const flagSet = fc.oneof(
  fc.subarray(FLAGS),
  fc.constantFrom(...kb.data.tcpFlags.map((e) => [...e.flags] as TcpFlag[])),
);
const icmpType = fc.oneof(
  fc.constantFrom(...ICMP_ERROR_TYPES),
  fc.constantFrom(...kb.data.icmp.map((e) => e.type)),
  fc.integer({ min: 0, max: 255 }),
);
const icmpCode = fc.oneof(
  fc.constantFrom(
    0,
    1,
    2,
    3,
    4,
    9,
    13,
    ...kb.data.icmp.flatMap((e) => (e.code === undefined ? [] : [e.code])),
  ),
  fc.integer({ min: 0, max: 255 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });

/** A realistic event: every field the explainers read, each one sometimes missing. */
const eventArb: fc.Arbitrary<FwEvent> = fc
  .record({
    format: fc.constantFrom(...FORMAT_IDS),
    action: fc.constantFrom<EventAction>('allow', 'deny', 'reject', 'log'),
    direction: fc.constantFrom<Direction>('inbound', 'outbound', 'forward', 'unknown'),
    transport: maybe(
      fc.oneof(
        { arbitrary: fc.constantFrom('tcp', 'udp'), weight: 6 },
        { arbitrary: fc.constantFrom('icmp', 'ipv6-icmp'), weight: 3 },
        { arbitrary: fc.constantFrom(...TRANSPORTS), weight: 2 },
        { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), weight: 1 },
      ),
    ),
    sourceIp: maybe(address),
    destinationIp: maybe(address),
    sourcePort: maybe(port),
    destinationPort: maybe(port),
    samePorts: fc.boolean(),
    tcpFlags: maybe(flagSet),
    flowTcpFlags: fc.option(flagSet, { nil: undefined, freq: 1 }),
    tcpWindow: maybe(fc.integer({ min: 0, max: 65_535 })),
    icmpType: maybe(icmpType),
    icmpCode: maybe(icmpCode),
    inner: maybe(
      fc.record({
        sourceIp: maybe(address),
        destinationIp: maybe(address),
        transport: maybe(fc.constantFrom('tcp', 'udp', 'icmp')),
        sourcePort: maybe(port),
        destinationPort: maybe(port),
      }),
    ),
    innerFromUs: fc.boolean(),
    ttl: maybe(fc.integer({ min: 0, max: 255 })),
    inInterface: maybe(fc.constantFrom('eth0', 'lo', 'wg0', 'br-lan')),
    outInterface: maybe(fc.constantFrom('eth1', 'lo')),
    ruleName: maybe(fc.constantFrom('UFW BLOCK', 'UFW LIMIT BLOCK', 'UFW LIMIT', 'drop-all')),
    observerProduct: maybe(fc.constantFrom('ufw', 'firewalld')),
    alarmName: maybe(fc.constantFrom('port scan')),
  })
  .map(({ samePorts, innerFromUs, inner, ...rest }) => {
    const ev = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => v !== undefined),
    ) as unknown as FwEvent;
    if (samePorts && ev.destinationPort !== undefined) ev.sourcePort = ev.destinationPort;
    if (ev.sourceIp) ev.ipVersion = ev.sourceIp.includes(':') ? 6 : 4;
    if (inner) {
      const quoted = Object.fromEntries(Object.entries(inner).filter(([, v]) => v !== undefined));
      ev.inner = innerFromUs && ev.destinationIp ? { ...quoted, sourceIp: ev.destinationIp } : quoted;
    }
    return ev;
  });

/** Scores that differ between the score-only run, the cached path and the full explanation, described. */
function disagreements(events: readonly FwEvent[], knowledge = kb): string[] {
  const out: string[] = [];
  for (const ev of events) {
    const full = explainEvent(ev, knowledge).severity.score;
    const only = scoreEvent(ev, knowledge);
    const cached = severityOf(ev, knowledge);
    if (only !== full || cached !== full)
      out.push(`explain ${full}, score-only ${only}, severityOf ${cached}: ${JSON.stringify(ev)}`);
  }
  return out;
}

describe('score-only severity', () => {
  it('gives the full explanation’s score for random realistic events', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        expect(disagreements([ev])).toEqual([]);
      }),
      { numRuns: 10_000, seed: PROPERTY_SEED },
    );
  });

  it('gives the full explanation’s score with a knowledge base whose zero deltas count', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        expect(disagreements([ev], nudged)).toEqual([]);
      }),
      { numRuns: 3000, seed: PROPERTY_SEED },
    );
  });

  // `mapped` events need a mapping file per fixture; they are built by the same FwEvent code as the others.
  for (const format of FORMATS.filter((f) => f.id !== 'mapped'))
    it(`gives the full explanation’s score for every ${format.id} fixture event`, async () => {
      const dir = join(ROOT, 'test', 'fixtures', format.id);
      const files = readdirSync(dir)
        .filter((f) => !f.endsWith('.json') && !f.endsWith('.md') && !f.endsWith('.yaml'))
        .map((f) => join(dir, f));
      const { events } = await ingestFiles(files, { year: 2026, format: format.id });
      expect(events.length).toBeGreaterThan(0);
      expect(disagreements(events)).toEqual([]);
    });

  it('gives the full explanation’s score for every event of the lab captures', async () => {
    const lab = join(ROOT, 'test', 'fixtures', 'lab');
    const files = readdirSync(lab)
      .map((d) => join(lab, d, 'kern.log'))
      .filter((f) => existsSync(f));
    const { events } = await ingestFiles(files, { year: 2026 });
    expect(events.length).toBeGreaterThan(1000);
    expect(disagreements(events)).toEqual([]);
  });

  it.skipIf(!HAVE_CORPUS)(
    'gives the full explanation’s score for every event of the shared corpus',
    async () => {
      const files = readdirSync(CORPUS, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) =>
          readdirSync(join(CORPUS, d.name))
            .filter((f) => !f.endsWith('.expected.json') && !f.endsWith('.md'))
            .map((f) => join(CORPUS, d.name, f)),
        );
      const { events } = await ingestFiles(files, { year: 2026 });
      expect(events.length).toBeGreaterThan(1000);
      expect(disagreements(events)).toEqual([]);
    },
  );
});

describe('score-only severity renders no text', () => {
  // Hostile shapes (a random low source port, low destination port and flag set per line): each a cache miss.
  const hostile = Array.from({ length: 300 }, (_, i) => {
    const flags = FLAGS.slice(0, 6).filter((_, b) => ((i * 37) >> b) & 1);
    return eventOf(
      `IN=eth0 OUT= SRC=203.0.113.${(i % 250) + 1} DST=198.51.100.${(i * 7) % 250} LEN=60 TOS=0x00 PREC=0x00 ` +
        `TTL=50 ID=1 PROTO=TCP SPT=${((i * 13) % 1023) + 1} DPT=${((i * 29) % 1023) + 1} WINDOW=1024 RES=0x00 ` +
        `${flags.join(' ')} URGP=0`,
    );
  });

  it('reads no message when severityOf meets new packet shapes', () => {
    // The counter sees rendering: one explanation reads dozens of messages.
    expect(messagesRead(() => explainEvent(hostile[0]!, kb))).toBeGreaterThan(10);
    // Every event is a shape the cache has not seen (this file asks severityOf nothing before).
    expect(new Set(hostile.map((ev) => severityKey(ev, kb))).size).toBeGreaterThan(250);
    let scores: number[] = [];
    expect(messagesRead(() => (scores = hostile.map((ev) => severityOf(ev, kb))))).toBe(0);
    expect(scores).toEqual(hostile.map((ev) => explainEvent(ev, kb).severity.score));
  });

  it('reads no message for a log naming a new odd transport on every line', () => {
    const odd = hostile
      .slice(0, 100)
      .map((ev, i) => ({ ...ev, transport: `hostile-${i}-${'x'.repeat(80)}` }));
    expect(
      messagesRead(() => {
        for (const ev of odd) severityOf(ev, kb);
      }),
    ).toBe(0);
    expect(odd.map((ev) => severityOf(ev, kb))).toEqual(odd.map((ev) => explainEvent(ev, kb).severity.score));
  });

  it('reads no message in scoreEvent for random realistic events', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        expect(messagesRead(() => scoreEvent(ev, kb))).toBe(0);
      }),
      { numRuns: 500, seed: PROPERTY_SEED },
    );
  });
});

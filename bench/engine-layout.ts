// What the typed-table layout of docs/core.md (next step of issue 13) would save, measured on one spec before
// it is built: the vertical-scan spec's per-packet group work in today's engine (SpecRunner: a Map of group
// objects with their Counters) against a prototype that keeps the same groups in typed columns keyed by
// integers (open addressing on the source and target IPv4 values, ports in inline slots of one Int32Array).
// Both see the same packets (the spec's filter applied beforehand, packet views built beforehand), close
// groups on the same idle window and count the same qualifying groups: the check that they did the same work.
//
//   node --import tsx bench/engine-layout.ts [log] [lines]    (default: the 1M benchmark log, 200,000 lines)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTunables } from '../src/detect/config.js';
import { verticalScan } from '../src/detect/detectors/vertical-scan.js';
import { FindingLedger } from '../src/detect/finding-ledger.js';
import { toPacket } from '../src/detect/packet.js';
import { MAX_SESSION_MS, SpecRunner } from '../src/detect/spec-runner.js';
import type { EngineContext, Packet } from '../src/detect/types.js';
import type { FwEvent } from '../src/event.js';
import { ingest } from '../src/ingest/pipeline.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { ipv4Value } from '../src/net/ip.js';
import { OUT_DIR } from './logs.js';

const path = process.argv[2] ?? join(OUT_DIR, 'netfilter-v2-1m.log');
const limit = Number(process.argv[3] ?? 200_000);
if (!existsSync(path)) {
  process.stderr.write(`no log at ${path}: run \`npm run bench -- --sizes 1m\` once to make it\n`);
  process.exit(2);
}
const kb = knowledgeBase();
const events: { ev: FwEvent; raw: string }[] = [];
await ingest([{ path }], {
  year: 2026,
  onEvent: (ev, raw) => {
    if (events.length < limit) events.push({ ev, raw });
  },
});
const t = resolveTunables(verticalScan.tunables, undefined);
const ctx: EngineContext = {
  kb,
  tunables: () => ({}),
  outboundSeen: () => undefined,
  outboundToSeen: () => undefined,
  anyOutbound: () => false,
  isOwn: () => false,
  isOwnAddress: () => false,
  timeless: () => false,
};
const packets: Packet[] = [];
let last = 0;
for (const { ev, raw } of events) {
  if (ev.timestamp !== undefined) last = ev.timestamp;
  const p = toPacket(ev, raw, last, false, undefined);
  if (p && verticalScan.filter(p, ctx, t) && ipv4Value(p.src) >= 0 && ipv4Value(p.dst) >= 0) packets.push(p);
}
const windowMs = t['windowSeconds']! * 1000;
const minPorts = t['minPorts']!;
const slowSeconds = 10;

/** Today's engine: one SpecRunner of the spec, fed the packets. Returns the groups that qualified. */
function generic(): number {
  let qualified = 0;
  const spec = {
    ...verticalScan,
    build: () => undefined,
    qualifies: (b: Parameters<typeof verticalScan.qualifies>[0]) => {
      const ok = verticalScan.qualifies(b, t, ctx);
      if (ok) qualified++;
      return ok;
    },
  };
  const runner = new SpecRunner(
    spec,
    t,
    1 << 30,
    1 << 30,
    ctx,
    new FindingLedger(() => false, undefined, true),
  );
  for (const p of packets) runner.offer(p, undefined, false);
  runner.closeAll();
  return qualified;
}

/** Inline port slots per group; a group with more distinct ports spills into a Set. */
const INLINE = 8;

/** The prototype: groups as rows of typed columns, found by open addressing on (source, target). */
function typed(): number {
  let cap = 1 << 16;
  let keySrc = new Int32Array(cap);
  let keyDst = new Int32Array(cap);
  let row = new Int32Array(cap).fill(-1);
  let rows = 0;
  let rowCap = 1 << 14;
  let events = new Int32Array(rowCap);
  let first = new Float64Array(rowCap);
  let lastAt = new Float64Array(rowCap);
  let nPorts = new Int32Array(rowCap);
  let ports = new Int32Array(rowCap * INLINE);
  const spill = new Map<number, Set<number>>();
  const free: number[] = [];
  let qualified = 0;
  const close = (r: number) => {
    const n = nPorts[r]!;
    const slow = n > 1 && (lastAt[r]! - first[r]!) / 1000 / (n - 1) >= slowSeconds;
    if (n >= minPorts && !slow) qualified++;
    spill.delete(r);
    free.push(r);
  };
  const grow = () => {
    const oldSrc = keySrc;
    const oldDst = keyDst;
    const oldRow = row;
    cap *= 2;
    keySrc = new Int32Array(cap);
    keyDst = new Int32Array(cap);
    row = new Int32Array(cap).fill(-1);
    for (let i = 0; i < oldRow.length; i++) {
      if (oldRow[i]! < 0) continue;
      let h = hash(oldSrc[i]!, oldDst[i]!) & (cap - 1);
      while (row[h]! >= 0) h = (h + 1) & (cap - 1);
      keySrc[h] = oldSrc[i]!;
      keyDst[h] = oldDst[i]!;
      row[h] = oldRow[i]!;
    }
  };
  const newRow = (): number => {
    const r = free.pop();
    if (r !== undefined) return r;
    if (rows === rowCap) {
      rowCap *= 2;
      const g = <T extends Int32Array | Float64Array>(a: T, n = 1): T => {
        const b = new (a.constructor as new (n: number) => T)(rowCap * n);
        b.set(a);
        return b;
      };
      events = g(events);
      first = g(first);
      lastAt = g(lastAt);
      nPorts = g(nPorts);
      ports = g(ports, INLINE);
    }
    return rows++;
  };
  let live = 0;
  for (const p of packets) {
    const s = ipv4Value(p.src) | 0;
    const d = ipv4Value(p.dst) | 0;
    const port = ((p.proto === 'tcp' ? 1 : p.proto === 'udp' ? 2 : 3) << 16) | (p.dport ?? 0);
    let h = hash(s, d) & (cap - 1);
    while (row[h]! >= 0 && (keySrc[h] !== s || keyDst[h] !== d)) h = (h + 1) & (cap - 1);
    let r = row[h]!;
    if (r >= 0 && (p.time - lastAt[r]! > windowMs || p.time - first[r]! > MAX_SESSION_MS)) {
      close(r);
      r = -1;
    }
    if (r < 0) {
      if (row[h]! < 0) {
        live++;
        keySrc[h] = s;
        keyDst[h] = d;
      }
      r = newRow();
      row[h] = r;
      events[r] = 0;
      first[r] = p.time;
      nPorts[r] = 0;
      if (live * 2 > cap) grow();
    }
    events[r]!++;
    lastAt[r] = p.time;
    const n = nPorts[r]!;
    const base = r * INLINE;
    let seen = false;
    for (let i = 0; i < n && i < INLINE; i++)
      if (ports[base + i] === port) {
        seen = true;
        break;
      }
    if (!seen && n > INLINE) seen = spill.get(r)!.has(port);
    if (!seen) {
      if (n < INLINE) ports[base + n] = port;
      else {
        let set = spill.get(r);
        if (!set) {
          set = new Set();
          spill.set(r, set);
        }
        set.add(port);
      }
      nPorts[r] = n + 1;
    }
  }
  for (let i = 0; i < cap; i++) if (row[i]! >= 0) close(row[i]!);
  return qualified;
}

function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

function cpuMs(fn: () => number): { ms: number; result: number } {
  let best = Number.POSITIVE_INFINITY;
  let result = 0;
  for (let i = 0; i < 5; i++) {
    const c = process.cpuUsage();
    result = fn();
    const u = process.cpuUsage(c);
    best = Math.min(best, (u.user + u.system) / 1000);
  }
  return { ms: best, result };
}

const a = cpuMs(generic);
const b = cpuMs(typed);
const perPacket = (ms: number) => ((ms * 1000) / packets.length).toFixed(2);
process.stdout.write(
  `${events.length} lines, ${packets.length} packets through the vertical-scan filter (best of 5, CPU)\n` +
    `today's SpecRunner:   ${a.ms.toFixed(0)} ms (${perPacket(a.ms)} µs/packet), ${a.result} groups qualified\n` +
    `typed prototype:      ${b.ms.toFixed(0)} ms (${perPacket(b.ms)} µs/packet), ${b.result} groups qualified\n` +
    `ratio: ${(a.ms / b.ms).toFixed(1)}x\n`,
);

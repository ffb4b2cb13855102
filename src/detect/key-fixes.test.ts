// `keyFixes`: a spec that declares its group key fixes the source (or the source and the target) must
// really key its groups by them, since such a group then counts those addresses through its event count
// instead of per packet. Checked on every packet of the lab captures and the bundled sample; and a group
// so counted reads back as a counted one would.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { ingest } from '../ingest/pipeline.js';
import { Counter, FixedCounter } from './counter.js';
import { ALL_SPECS } from './detectors/index.js';
import { toPacket } from './packet.js';
import type { Packet } from './types.js';

const ROOT = join(import.meta.dirname, '..', '..');
const LAB = join(ROOT, 'test', 'fixtures', 'lab');

async function packets(): Promise<Packet[]> {
  const paths = [
    join(ROOT, 'examples', 'sample.log'),
    ...readdirSync(LAB)
      .map((d) => join(LAB, d, 'kern.log'))
      .filter((p) => existsSync(p)),
  ];
  const events: { ev: FwEvent; raw: string }[] = [];
  await ingest(
    paths.map((path) => ({ path })),
    { year: 2026, onEvent: (ev, raw) => events.push({ ev, raw }) },
  );
  return events.flatMap(
    ({ ev, raw }, i) => toPacket(ev, raw, ev.timestamp ?? i, false, undefined, true) ?? [],
  );
}

describe('keyFixes', () => {
  it('holds on real packets: one source per group key (and one target for a pair)', async () => {
    const all = await packets();
    expect(all.length).toBeGreaterThan(3000);
    const declaring = ALL_SPECS.filter((s) => s.keyFixes !== undefined);
    expect(declaring.map((s) => s.name).length).toBeGreaterThanOrEqual(15);
    for (const spec of declaring) {
      const seen = new Map<string, string>();
      let grouped = 0;
      for (const p of all) {
        if (p.partial && !spec.partialPackets) continue;
        const key = spec.groupBy(p);
        const fixed = spec.keyFixes === 'pair' ? `${p.src} ${p.dst}` : p.src;
        const before = seen.get(key);
        if (before === undefined) seen.set(key, fixed);
        else expect(before, `${spec.name}: key ${key}`).toBe(fixed);
        grouped++;
      }
      expect(grouped).toBe(all.filter((p) => !p.partial || spec.partialPackets).length);
    }
  });

  it('reads back as a counted group would: size, keys, counts', () => {
    const group = { events: 0 };
    const fixed = new FixedCounter('198.51.100.7', group);
    const counted = new Counter<string>();
    expect([fixed.size, [...fixed.keys()], fixed.get('198.51.100.7')]).toEqual([0, [], undefined]);
    for (let i = 0; i < 5; i++) {
      group.events++;
      counted.add('198.51.100.7', 100);
      fixed.add('198.51.100.7', 100);
    }
    expect([fixed.size, [...fixed.keys()], [...fixed.values()], [...fixed.entries()]]).toEqual([
      counted.size,
      [...counted.keys()],
      [...counted.values()],
      [...counted.entries()],
    ]);
    expect(fixed.get('203.0.113.9')).toBeUndefined();
    expect(() => fixed.add('203.0.113.9', 100)).toThrow(/fixed counter/);
  });
});

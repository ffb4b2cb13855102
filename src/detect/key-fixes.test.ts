// `keyFixes`: a spec that declares its group key fixes the source (or the source and the target) must
// really key its groups by them, since such a group then counts those addresses through its event count
// instead of per packet. Checked on every packet of the lab captures and the bundled sample; and a group
// so counted reads back as a counted one would.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { ingest } from '../ingest/pipeline.js';
import { exactIpKey } from '../net/ip.js';
import { AddressCounter, Counter, FixedAddressCounter } from './counter.js';
import { ALL_SPECS } from './detectors/index.js';
import { toPacket } from './packet.js';
import { keyKindOf, mapKeyOf } from './spec-runner.js';
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

  it('groupKey: the integer key of a group is equal exactly when its groupBy text is', async () => {
    const all = await packets();
    const declaring = ALL_SPECS.filter((s) => s.groupKey !== undefined);
    expect(declaring.map((s) => s.groupKey).sort()).toEqual(
      expect.arrayContaining(['source', 'source-net', 'target']),
    );
    // The lab captures are IPv4 only: add the other text forms an address arrives in.
    const odd = all.slice(0, 40).flatMap((p, i) => {
      const src = ['2001:db8::7', '2001:db8:0:1::9', '010.0.0.1', '10.0.0.1', '192.0.2.255'][i % 5]!;
      const dst = ['2001:db8::1', '198.51.100.010', '198.51.100.10'][i % 3]!;
      return [{ ...p, src, dst, srcKey: exactIpKey(src), dstKey: exactIpKey(dst) }];
    });
    for (const spec of declaring) {
      const texts = new Map<string | number, string>();
      const keys = new Map<string, string | number>();
      for (const p of [...all, ...odd]) {
        const text = spec.groupBy(p);
        const key = mapKeyOf(keyKindOf(spec), spec, p);
        expect(texts.get(key) ?? text, `${spec.name}: key ${key}`).toBe(text);
        expect(keys.has(text) ? keys.get(text) : key, `${spec.name}: group ${text}`).toBe(key);
        texts.set(key, text);
        keys.set(text, key);
      }
      expect(texts.size).toBeGreaterThan(10);
    }
  });

  it('reads back as a counted group would: size, keys, counts', () => {
    const group = { events: 0 };
    const ip = '198.51.100.7';
    const fixed = new FixedAddressCounter(exactIpKey(ip), ip, group);
    const counted = new AddressCounter();
    expect([fixed.size, [...fixed.keys()], fixed.get(ip)]).toEqual([0, [], undefined]);
    for (let i = 0; i < 5; i++) {
      group.events++;
      counted.add(exactIpKey(ip), 100);
      fixed.add(exactIpKey(ip), 100);
    }
    expect([fixed.size, [...fixed.keys()], [...fixed.values()], [...fixed.entries()], fixed.get(ip)]).toEqual(
      [counted.size, [...counted.keys()], [...counted.values()], [...counted.entries()], counted.get(ip)],
    );
    expect(fixed.get('203.0.113.9')).toBeUndefined();
    expect(() => fixed.add(exactIpKey('203.0.113.9'), 100)).toThrow(/fixed counter/);
  });

  it('address counters read back the texts they counted, in order, whatever their spelling', () => {
    const texts = [
      '203.0.113.7',
      '2001:db8::1',
      '010.0.0.1',
      '10.0.0.1',
      '203.0.113.7',
      '0.0.0.0',
      '255.255.255.255',
      '',
      '10.0.0.1',
    ];
    const byKey = new AddressCounter();
    const byText = new Counter<string>();
    for (const t of texts) {
      byKey.add(exactIpKey(t), 100);
      byText.add(t, 100);
    }
    expect([...byKey.entries()]).toEqual([...byText.entries()]);
    expect([...byKey.keys()]).toEqual([...byText.keys()]);
    expect(byKey.size).toBe(byText.size);
    for (const t of [...texts, '10.0.0.2']) expect(byKey.get(t), t).toBe(byText.get(t));
  });
});

// Non-traffic kinds are text a log line chose: a hostile log naming a new kind on every line must not grow
// the counts (and the report, and the stderr sentence) without bound.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestText, runCli } from '../../test/helpers.js';
import { knowledgeBase } from '../knowledge/index.js';
import { NOTICE_KINDS } from '../report/notices.js';
import { openDuckDbStore } from '../store/duckdb.js';
import { ingestIntoStore } from '../store/ingest.js';
import {
  addNonTraffic,
  MAX_NON_TRAFFIC_KINDS,
  NON_TRAFFIC_KIND_CHARS,
  NonTrafficTally,
  OTHER_NON_TRAFFIC_KINDS,
} from './non-traffic.js';
import { type InputStats, newInputStats } from './pipeline.js';

/** FortiGate records of an unknown `type=`, each a distinct kind of `len` characters (as /tmp/adv/fgtype.py). */
function fortigateTypes(n: number, len: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    let name = '';
    for (let k = 0, v = i; k < 6; k++, v = Math.floor(v / 26)) name += String.fromCharCode(97 + (v % 26));
    const type = `${name}${'x'.repeat(Math.max(0, len - 6))}`;
    lines.push(
      `Nov  1 00:00:${String(i % 60).padStart(2, '0')} fw1 date=2026-11-01 time=00:00:00 devname="FGT60E" devid="FGT60E0000000001" logid="0000000013" type="${type}" subtype="forward" level="notice" vd="root" srcip=198.51.100.5 srcport=40112 srcintf="port1" dstip=192.0.2.10 dstport=22 dstintf="port2" proto=6 action="deny" policyid=0 service="SSH"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('non-traffic kinds from a hostile log', () => {
  const N = MAX_NON_TRAFFIC_KINDS + 300;

  it('keeps at most MAX_NON_TRAFFIC_KINDS kinds, cut short, and counts the rest as other kinds', async () => {
    const { stats } = await ingestText(fortigateTypes(N, 200));
    const input = stats.inputs[0]!;
    const kinds = Object.keys(input.nonTraffic);
    expect(kinds.length).toBe(MAX_NON_TRAFFIC_KINDS + 1);
    for (const k of kinds) expect(k.length).toBeLessThanOrEqual(NON_TRAFFIC_KIND_CHARS);
    expect(kinds.filter((k) => k.endsWith('…')).length).toBe(MAX_NON_TRAFFIC_KINDS);
    expect(input.nonTraffic[OTHER_NON_TRAFFIC_KINDS]).toBe(N - MAX_NON_TRAFFIC_KINDS);
    expect(input.nonTrafficOtherKinds).toBe(N - MAX_NON_TRAFFIC_KINDS);
    expect(stats.nonTraffic).toBe(N);
    const byKind = input.nonTrafficByFormat!.fortigate!;
    expect(Object.keys(byKind).length).toBe(MAX_NON_TRAFFIC_KINDS + 1);
    expect(byKind[OTHER_NON_TRAFFIC_KINDS]).toBe(N - MAX_NON_TRAFFIC_KINDS);
  });

  it('a kind seen again after the table filled is still counted under its own name', async () => {
    const text = fortigateTypes(N, 20);
    const first = text.split('\n')[0]!;
    const { stats } = await ingestText(`${text}${first}\n${first}\n`);
    const input = stats.inputs[0]!;
    const firstKind = Object.keys(input.nonTraffic)[0]!;
    expect(input.nonTraffic[firstKind]).toBe(3);
    expect(input.nonTraffic[OTHER_NON_TRAFFIC_KINDS]).toBe(N - MAX_NON_TRAFFIC_KINDS);
  });

  it('the report says in one sentence that the rest were counted together; JSON carries the number', async () => {
    const text = fortigateTypes(N, 200);
    const { out } = await runCli(['analyze', '--workers', '1', '-'], { stdin: text });
    expect(out.replace(/\s+/g, ' ')).toContain(
      `Only the first ${MAX_NON_TRAFFIC_KINDS} kinds of non-traffic record are named; records of ${N - MAX_NON_TRAFFIC_KINDS} more kinds are counted together as “other kinds”.`,
    );
    expect(out.length).toBeLessThan(80_000);
    const json = JSON.parse(
      (await runCli(['analyze', '--workers', '1', '--json', '-'], { stdin: text })).out,
    );
    expect(json.inputs[0].nonTrafficOtherKinds).toBe(N - MAX_NON_TRAFFIC_KINDS);
    const zh = await runCli(['analyze', '--workers', '1', '-'], {
      stdin: text,
      env: { LANG: 'zh_CN.UTF-8' },
    });
    expect(zh.out.replace(/\s+/g, '')).toContain(
      `只列出前${MAX_NON_TRAFFIC_KINDS}种非流量记录;另外${N - MAX_NON_TRAFFIC_KINDS}种合计为“其他种类”。`,
    );
  });

  it('the stderr sentence names the most frequent kinds only, and how many more there are (en and zh)', async () => {
    // Three lines of the first kind, two of the second: they lead the list; every other kind is counted.
    const lines = fortigateTypes(N, 200).split('\n');
    const text = `${[lines[0], lines[0], lines[1], ...lines].join('\n')}`;
    const en = await runCli(['analyze', '--workers', '1', '-'], { stdin: text });
    const sentence = en.err.split('\n').find((l) => l.includes('without traffic events'))!;
    expect(sentence).toContain(`it holds ${N + 3} records of other kinds (`);
    expect(sentence.indexOf('aaaaaa')).toBeLessThan(sentence.indexOf('baaaaa'));
    expect(sentence).toContain(`and ${MAX_NON_TRAFFIC_KINDS + 1 - NOTICE_KINDS} more kinds)`);
    expect(sentence.length).toBeLessThan(NOTICE_KINDS * (NON_TRAFFIC_KIND_CHARS + 10) + 200);
    const zh = await runCli(['analyze', '--workers', '1', '-'], {
      stdin: text,
      env: { LANG: 'zh_CN.UTF-8' },
    });
    const zhSentence = zh.err.split('\n').find((l) => l.includes('没有流量事件'))!;
    expect(zhSentence).toContain(`另有 ${MAX_NON_TRAFFIC_KINDS + 1 - NOTICE_KINDS} 种`);
    expect(zhSentence.length).toBeLessThan(NOTICE_KINDS * (NON_TRAFFIC_KIND_CHARS + 10) + 200);
    // With the folded kinds among those left out, "more" counts each of them: every kind not named.
    const few = fortigateTypes(MAX_NON_TRAFFIC_KINDS + 2, 20).split('\n');
    const top = few.slice(0, NOTICE_KINDS);
    const r = await runCli(['analyze', '--workers', '1', '-'], {
      stdin: [...top, ...top, ...few].join('\n'),
    });
    const line = r.err.split('\n').find((l) => l.includes('without traffic events'))!;
    expect(line).not.toContain(`${OTHER_NON_TRAFFIC_KINDS} 2`);
    expect(line).toContain(`and ${MAX_NON_TRAFFIC_KINDS + 2 - NOTICE_KINDS} more kinds)`);
  });

  it('a kind folded in two parts of an input (the store reads it in parts) counts once, as in one pass', async () => {
    const text = fortigateTypes(N, 20);
    const whole = await ingestText(`${text}${text}`);
    expect(whole.stats.inputs[0]!.nonTrafficOtherKinds).toBe(N - MAX_NON_TRAFFIC_KINDS);
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-folded-'));
    const log = join(dir, 'fortigate.log');
    writeFileSync(log, `${text}${text}`);
    const store = await openDuckDbStore(join(dir, 's.duckdb'));
    try {
      // One part per copy: the second names the same 256 kinds first and folds the same 300 after them.
      const partBytes = Buffer.byteLength(text);
      await ingestIntoStore(store, [log], { kb: knowledgeBase(), detect: false, partBytes });
      const [stored] = await store.inputs();
      expect(stored!.stats.lines).toBe(2 * N);
      expect(stored!.stats.nonTraffic).toEqual(whole.stats.inputs[0]!.nonTraffic);
      expect(stored!.stats.nonTrafficOtherKinds).toBe(N - MAX_NON_TRAFFIC_KINDS);
      // And by format, as the report lists them (not all under 'unknown').
      expect(stored!.stats.nonTrafficByFormat).toEqual(whole.stats.inputs[0]!.nonTrafficByFormat);
      // Appended later (another run): 20 kinds never seen, all folded, and some folded ones again.
      const more = fortigateTypes(N + 20, 20)
        .split('\n')
        .slice(N - 40);
      writeFileSync(log, `${text}${text}${more.join('\n')}`);
      await ingestIntoStore(store, [log], { kb: knowledgeBase(), detect: false });
      const [again] = await store.inputs();
      expect(again!.stats.nonTrafficOtherKinds).toBe(N + 20 - MAX_NON_TRAFFIC_KINDS);
    } finally {
      await store.close();
    }
  });

  it('two inputs sharing folded kinds: each input counts its own, the same with one thread or two', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-folded-'));
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, fortigateTypes(N, 20));
    writeFileSync(b, fortigateTypes(N + 50, 20));
    const runs = await Promise.all(
      ['1', '2'].map(async (w) =>
        JSON.parse((await runCli(['analyze', '--workers', w, '--json', a, b])).out),
      ),
    );
    for (const r of runs)
      expect(r.inputs.map((i: { nonTrafficOtherKinds: number }) => i.nonTrafficOtherKinds)).toEqual([
        N - MAX_NON_TRAFFIC_KINDS,
        N + 50 - MAX_NON_TRAFFIC_KINDS,
      ]);
    expect(runs[0].inputs).toEqual(runs[1].inputs);
  });

  it('counts a kind named like an object property (constructor, __proto__) as any other kind, also across parts', () => {
    const input = (): InputStats => newInputStats('hostile.log');
    const a = input();
    const tally = new NonTrafficTally(a);
    for (const kind of ['constructor', '__proto__', '__proto__', 'toString']) tally.add('mapped', kind);
    tally.finish();
    expect(Object.entries(a.nonTraffic)).toEqual([
      ['constructor', 1],
      ['__proto__', 2],
      ['toString', 1],
    ]);
    expect(Object.getPrototypeOf(a.nonTraffic)).toBe(Object.prototype);
    const total = input();
    addNonTraffic(total, a);
    addNonTraffic(total, a);
    expect(Object.entries(total.nonTraffic)).toEqual([
      ['constructor', 2],
      ['__proto__', 4],
      ['toString', 2],
    ]);
    expect(Object.entries(total.nonTrafficByFormat!.mapped!)).toEqual(Object.entries(total.nonTraffic));
  });
});

// Non-traffic kinds are text a log line chose: a hostile log naming a new kind on every line must not grow
// the counts (and the report, and the stderr sentence) without bound.
import { describe, expect, it } from 'vitest';
import { ingestText, runCli } from '../../test/helpers.js';
import { NOTICE_KINDS } from '../report/notices.js';
import { MAX_NON_TRAFFIC_KINDS, NON_TRAFFIC_KIND_CHARS, OTHER_NON_TRAFFIC_KINDS } from './non-traffic.js';

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
});

// Terminal wrapping keeps numbers, addresses, ports and 后门(1524) groups whole at every width, in Chinese and English.
import { describe, expect, it } from 'vitest';
import { t } from '../i18n.js';
import { breakPieces } from '../util/line-break.js';
import { displayWidth, wrap } from './text.js';

/** What must never be split across two lines. */
const WHOLE = [
  '198.51.100.24',
  '203.0.113.7:443',
  '2001:db8::1',
  '2001:db8:66::/64',
  'tcp/1524',
  'udp/31337',
  '后门(1524)',
  '1,234',
  '6970-7170',
  '65535',
  '[5]',
];

const CHINESE = [
  '198.51.100.24 探测了 1 个后门程序监听的端口(共 2 个包):ingreslock 后门(1524)。它在寻找已经被感染、会作出应答的机器,目标端口 tcp/1524 和 udp/31337。',
  '自称来自 2001:db8::1 的数据包到达时的距离不一致(6 跳 ×3, 12 跳 ×4)。来自 2001:db8:66::/64 网段的 1,234 个包发往 203.0.113.7:443,在 6970-7170 之间,窗口 65535,严重度[5]。',
  '后门(1524)后门(1524)后门(1524)后门(1524)后门(1524)后门(1524)后门(1524)后门(1524)',
  t('detect.trojan.details', 'zh', {
    src: '198.51.100.24',
    ports: 2,
    records: t('detect.records.inAll.packet', 'zh', { n: 1234 }),
    named: 'ingreslock 后门(1524) 和 Back Orifice 木马(31337)',
  }),
];

const ENGLISH = [
  '198.51.100.24 knocked on 1 port where backdoors listen (2 packets): ingreslock backdoor (1524), tcp/1524 from 2001:db8::1 and 203.0.113.7:443 over 6970-7170, 1,234 packets in all.',
];

/** Lines of a wrapped text, indent removed. */
function wrapped(text: string, width: number, indent = '  '): string[] {
  const lines = wrap(text, width, indent);
  for (const l of lines) expect(displayWidth(l), `"${l}" at ${width}`).toBeLessThanOrEqual(width);
  return lines.map((l) => l.slice(indent.length));
}

describe('wrap', () => {
  for (const [lang, texts] of [
    ['zh', CHINESE],
    ['en', ENGLISH],
  ] as const)
    it(`never splits a number, address, port or 后门(1524) group (${lang}, widths 20-100)`, () => {
      for (const text of texts)
        for (let width = 20; width <= 100; width++) {
          const lines = wrapped(text, width);
          // Nothing is lost or added: the lines are the text, cut only where a space or a break was.
          expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
          for (const token of WHOLE) {
            const inText = text.split(token).length - 1;
            const inLines = lines.reduce((n, l) => n + l.split(token).length - 1, 0);
            expect(inLines, `${token} split at width ${width}: ${JSON.stringify(lines)}`).toBe(inText);
          }
          // Closing punctuation never starts a line.
          for (const l of lines.slice(1)) expect(l, `at width ${width}`).not.toMatch(/^[。,、;:!?)」』”’》]/);
        }
    });

  it('breaks Chinese between characters when it must, and English only at spaces', () => {
    const zh = wrapped('某个来源专门敲击知名远程控制木马或后门等待主人连接的端口。'.repeat(3), 30);
    expect(zh.length).toBeGreaterThan(3);
    for (const l of zh.slice(0, -1)) expect(displayWidth(l)).toBeGreaterThanOrEqual(26);
    const en = wrapped('Someone is mapping which services this host offers, one port at a time.', 30);
    expect(en).toEqual(['Someone is mapping which', 'services this host offers,', 'one port at a time.']);
  });

  it('cuts a single piece wider than the line instead of overflowing', () => {
    const lines = wrapped(`see ${'2001:db8:1:2:3:4:5:6,'.repeat(5)}`, 30);
    expect(lines.every((l) => displayWidth(l) <= 28)).toBe(true);
    expect(lines.at(-1)).toMatch(/…$/);
  });
});

describe('breakPieces', () => {
  it('follows the line-breaking rules, tailored for addresses and ports', () => {
    expect(breakPieces('探测 tcp/1524 的后门(1524)。')).toEqual(['探', '测 ', 'tcp/1524 ', '的后门(1524)。']);
    expect(breakPieces('这是一个很长的句子后门(1524)')).toEqual([
      '这',
      '是',
      '一',
      '个',
      '很',
      '长的句子后门(1524)',
    ]);
    expect(breakPieces('from 2001:db8::1, then 198.51.100.7:443')).toEqual([
      'from ',
      '2001:db8::1, ',
      'then ',
      '198.51.100.7:443',
    ]);
    expect(breakPieces('rate-based (1,234 s)')).toEqual(['rate-', 'based ', '(1,234 ', 's)']);
    expect(breakPieces('(ss -lntup); nmap -T4')).toEqual(['(ss ', '-lntup); ', 'nmap ', '-T4']);
    // A long option keeps both its hyphens: a reader copying `--` alone off a line's end gets nothing that works.
    expect(breakPieces('give it with --tz (or --year), not -- tz')).toEqual([
      'give ',
      'it ',
      'with ',
      '--tz ',
      '(or ',
      '--year), ',
      'not ',
      '-- ',
      'tz',
    ]);
    // And after an opening bracket: `(--json lists ...` broke into `(--` / `json`.
    expect(breakPieces('in all (--json lists every input)')).toEqual([
      'in ',
      'all ',
      '(--json ',
      'lists ',
      'every ',
      'input)',
    ]);
    expect(breakPieces('“DNS 应答”和“FTP 数据”')).toEqual(['“DNS ', '应', '答”', '和', '“FTP ', '数', '据”']);
  });
});

// Checks the message table (both languages, same placeholders), language choice and substitution.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countOf, formatCount, langFromEnv, MESSAGES, type MessageKey, NOUNS, t, tBoth } from './i18n.js';

const PLACEHOLDER_TEXT = /\{[a-zA-Z0-9_]+(?::[a-zA-Z]+)?\}/g;

const placeholders = (s: string): string[] =>
  [...s.matchAll(/\{([a-zA-Z0-9_]+)(?::[a-zA-Z]+)?\}/g)].map((m) => m[1]!).sort();

describe('MESSAGES', () => {
  const entries = Object.entries(MESSAGES) as [string, { en: string; zh: string }][];
  it('has a real table', () => {
    expect(entries.length).toBeGreaterThan(100);
  });
  it.each(entries)('%s has en and zh with the same placeholders', (_key, msg) => {
    expect(msg.en.trim()).not.toBe('');
    expect(msg.zh.trim()).not.toBe('');
    expect(placeholders(msg.zh)).toEqual(placeholders(msg.en));
  });
  it('writes Chinese in Chinese', () => {
    // A message made only of placeholders and punctuation ("{name}({ports})") has nothing to translate;
    // any other must carry Chinese, and none may leave an English word behind in its Chinese.
    const untranslated = entries
      .filter(([, m]) => {
        const words = m.zh.replace(PLACEHOLDER_TEXT, '');
        return !/[\u4e00-\u9fff]/.test(m.zh) && /[A-Za-z]{2,}/.test(words);
      })
      .map(([k]) => k);
    expect(untranslated).toEqual([]);
    const bare = entries.filter(([, m]) => !/[\u4e00-\u9fff]/.test(m.zh)).map(([k]) => k);
    expect(bare.length).toBeLessThanOrEqual(12);
  });
});

describe('langFromEnv', () => {
  it('follows LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(langFromEnv({ LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(langFromEnv({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(langFromEnv({ LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_GB' })).toBe('zh');
    expect(langFromEnv({ LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_HK' })).toBe('zh');
    expect(langFromEnv({ LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });
});

describe('t', () => {
  it('fills placeholders, resolving {en, zh} values in the chosen language', () => {
    const vars = {
      port: 31337,
      name: { en: 'Back Orifice', zh: '后门 Back Orifice' },
      kind: 'x',
      protos: 'UDP',
    };
    expect(t('explain.port.entry', 'en', vars)).toBe('Port 31337 (UDP): Back Orifice, x.');
    expect(t('explain.port.entry', 'zh', vars)).toContain('后门 Back Orifice');
    expect(tBoth('explain.headline.port', { port: 7 })).toEqual({ en: ' port 7', zh: ' 端口 7' });
  });
  it('leaves a placeholder without a value as written and unknown keys as the key', () => {
    expect(t('explain.endpoint', 'en', { ip: '192.0.2.1' })).toBe('192.0.2.1 port {port}');
    expect(t('no.such.key' as MessageKey, 'zh')).toBe('no.such.key');
  });
});

describe('counts', () => {
  it('every counted placeholder renders 0, 1 and 2 with the right English form and the Chinese measure word', () => {
    const counted = Object.entries(MESSAGES).flatMap(([key, m]) =>
      [...m.en.matchAll(/\{(\w+):(\w+)\}/g)].map((x) => [key, x[1]!, x[2]!] as const),
    );
    expect(counted.length).toBeGreaterThanOrEqual(8);
    for (const [key, name, noun] of counted) {
      expect(Object.keys(NOUNS), `${key}: unknown noun ${noun}`).toContain(noun);
      const w = NOUNS[noun as keyof typeof NOUNS];
      for (const n of [0, 1, 2]) {
        const en = t(key as MessageKey, 'en', { [name]: n });
        expect(en, key).toContain(`${n} ${n === 1 ? w.one : w.other}`);
        expect(en, key).not.toContain(`{${name}:`);
        const zh = t(key as MessageKey, 'zh', { [name]: n });
        expect(zh, key).toContain(String(n));
        expect(zh, key).not.toMatch(new RegExp(`\\{${name}(:\\w+)?\\}`));
      }
    }
  });

  it('reads counts given as separated text, and leaves a non-number as it is', () => {
    expect(countOf(1, 'packet')).toEqual({ en: '1 packet', zh: '1 个数据包' });
    expect(countOf(1234, 'hop')).toEqual({ en: '1,234 hops', zh: '1,234 跳' });
    expect(t('report.untimed', 'en', { n: '1,234' })).toMatch(/^1,234 events without/);
    expect(t('report.untimed', 'en', { n: 1 })).toMatch(/^1 event without/);
  });

  it('writes numbers as en-US does, with or without the formatter', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -5000, max: 5000 }), fc.integer(), fc.double({ noNaN: true })),
        (n) => formatCount(n) === n.toLocaleString('en-US'),
      ),
      { seed: 13, numRuns: 2000 },
    );
    for (const n of [0, 999, 1000, 12_345_678, -1, 0.5, 999.5])
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});

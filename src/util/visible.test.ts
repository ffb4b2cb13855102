// The one sanitiser: what it shows for each class of unsafe character, and what it leaves alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText, visibleText } from './visible.js';

/** Every character visibleText must never let through (line feed only without keepNewlines). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly these
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

describe('visibleText', () => {
  it('shows ESC sequences whole, as text: CSI, OSC with BEL, and the 8-bit CSI', () => {
    expect(visibleText('\x1b]0;PWNED\x07\x1b[2J[UFW BLOCK]')).toBe('␛]0;PWNED␇␛[2J[UFW BLOCK]');
    expect(visibleText('a\x1b[31mred\x1b[0m')).toBe('a␛[31mred␛[0m');
    expect(visibleText('\u009b2J')).toBe('<U+009B>2J');
  });

  it('shows C0 controls as their control pictures, DEL as ␡, and keeps tab', () => {
    expect(visibleText('\x00\x01\x08\r\x0b\x0c\x7f')).toBe('␀␁␈␍␋␌␡');
    expect(visibleText('a\tb')).toBe('a\tb');
  });

  it('shows a line feed unless the text is multi-line and ours', () => {
    expect(visibleText('a\nb')).toBe('a␊b');
    expect(visibleText('a\nb\r', { keepNewlines: true })).toBe('a\nb␍');
  });

  it('shows C1 controls and every bidi control as <U+XXXX>', () => {
    expect(visibleText('\u0085\u009f')).toBe('<U+0085><U+009F>');
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(visibleText(`evil${bidi}`)).toBe(
      'evil<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069><U+200E><U+200F><U+061C>',
    );
  });

  it('shows lone surrogates but keeps whole pairs (emoji) and CJK', () => {
    expect(visibleText('x\ud800y\udc00')).toBe('x<U+D800>y<U+DC00>');
    expect(visibleText('防火墙 🔥 café')).toBe('防火墙 🔥 café');
  });

  it('never lets an unsafe character through, and a second pass changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = visibleText(s);
        expect(RAW.test(once) || once.includes('\n')).toBe(false);
        expect(visibleText(once)).toBe(once);
      }),
    );
  });
});

describe('jsonText', () => {
  it('writes DEL, C1, bidi and line separators as \\u escapes: same data, nothing raw', () => {
    const value = { original: 'a\x1b[2J\u009b\u202e\u2028\x7fz', n: 1 };
    const text = jsonText(value);
    expect(text).toBe('{"original":"a\\u001b[2J\\u009b\\u202e\\u2028\\u007fz","n":1}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('reads back as the very same data for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const text = jsonText({ s }, 2);
        expect(RAW.test(text)).toBe(false);
        expect(JSON.parse(text)).toEqual({ s });
      }),
    );
  });
});

// parseLeaPairs reads `key=value|key=value;...` in one pass: held to the split() reading it replaced.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLeaPairs } from './fields.js';

/** The former reading: split on the separators, then each part. */
function bySplit(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/[|;]/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (/^[\w./-]+$/.test(key) && !out.has(key)) out.set(key, value);
  }
  return out;
}

describe('parseLeaPairs', () => {
  it('reads what the split reading read, on any mix of keys, values and separators', () => {
    const piece = fc.constantFrom('a', 'src', '=', '|', ';', ' ', '"', 'x.y', '192.0.2.1', '==', '\t');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect([...parseLeaPairs(text)]).toEqual([...bySplit(text)]);
      }),
      { seed: 2026, numRuns: 2000 },
    );
  });

  it('reads a real LEA line', () => {
    const f = parseLeaPairs(
      'time=14Mar2026  8:50:10|action=drop|src=203.0.113.7|s_port=40116|service=22|proto=tcp|',
    );
    expect(Object.fromEntries(f)).toMatchObject({ action: 'drop', src: '203.0.113.7', service: '22' });
  });
});

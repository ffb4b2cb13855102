// Tests of the LEEF header/attribute syntax and the shared vendor time and action-word helpers.
import { describe, expect, it } from 'vitest';
import { MAX_QUOTED_VALUE_CHARS } from '../util/text-scan.js';
import { actionFromName, actionFromWord, parseVendorTime } from './cef-event.js';
import { makeContext } from './envelope/time.js';
import { findLeefStart, parseLeef } from './leef.js';

const CTX = makeContext(Date.UTC(2026, 11, 31), { year: 2026 });

describe('parseLeef', () => {
  it('reads LEEF 1.0 tab-separated attributes and unescapes \\=', () => {
    const r = parseLeef('LEEF:1.0|Acme|FW|1.0|Deny|src=192.0.2.1\tdst=198.51.100.2\tmsg=a\\=b')!;
    expect(r).toMatchObject({ version: '1.0', vendor: 'Acme', eventId: 'Deny' });
    expect(r.attributes.get('dst')).toBe('198.51.100.2');
    expect(r.attributes.get('msg')).toBe('a=b');
  });

  it('reads the LEEF 2.0 delimiter as a character or a hex code', () => {
    expect(parseLeef('LEEF:2.0|A|B|1|E|^|src=192.0.2.1^dst=192.0.2.2')!.attributes.get('src')).toBe(
      '192.0.2.1',
    );
    expect(parseLeef('LEEF:2.0|A|B|1|E|0x7C|src=192.0.2.1|dst=192.0.2.2')!.attributes.get('dst')).toBe(
      '192.0.2.2',
    );
    expect(parseLeef('LEEF:2.0|A|B|1|E|zz|src=192.0.2.1')).toBeNull();
    expect(parseLeef('LEEF:1.0|A|B')).toBeNull();
    expect(findLeefStart('host app: LEEF:2.0|A|B|1|E|^|src=1')).toBe(10);
  });
});

describe('vendor helpers', () => {
  it('reads epoch ms/s, ISO, year-bearing and year-less stamps', () => {
    expect(parseVendorTime('1773477000123', CTX)).toBe(1773477000123);
    expect(parseVendorTime('1773477000', CTX)).toBe(1773477000000);
    expect(parseVendorTime('Mar 14 2026 08:30:00', CTX)).toBe(Date.UTC(2026, 2, 14, 8, 30));
    expect(parseVendorTime('Mar 14 2026 08:30:00.250 +01:00', CTX)).toBe(
      Date.UTC(2026, 2, 14, 7, 30, 0, 250),
    );
    expect(parseVendorTime('Mar 14 08:30:00', CTX)).toBe(Date.UTC(2026, 2, 14, 8, 30));
    expect(parseVendorTime('2026-03-14T08:30:00Z', CTX)).toBe(Date.UTC(2026, 2, 14, 8, 30));
    expect(parseVendorTime('yesterday', CTX)).toBeUndefined();
  });

  it('maps action words and event names to decisions', () => {
    expect(actionFromWord('Discard')).toBe('deny');
    expect(actionFromWord('Block with reset')).toBe('reject');
    expect(actionFromWord('Detect')).toBe('log');
    expect(actionFromWord('Key Install')).toBeUndefined();
    expect(actionFromName('Connection_Allowed')).toBe('allow');
    expect(actionFromName('TCP_DENY')).toBe('deny');
    expect(actionFromName('Dropbox sync')).toBeUndefined();
  });
});

describe('delimited LEEF values', () => {
  it('turn \\= into = and are cut at MAX_QUOTED_VALUE_CHARS', () => {
    const record = parseLeef(
      `LEEF:2.0|Acme|EdgeWall|4.2|deny|^|msg=a\\=b^src=203.0.113.7^long=${'\\'.repeat(50_000)}`,
    );
    expect(record?.attributes.get('msg')).toBe('a=b');
    expect(record?.attributes.get('src')).toBe('203.0.113.7');
    expect(record?.attributes.get('long')).toHaveLength(MAX_QUOTED_VALUE_CHARS);
  });
});

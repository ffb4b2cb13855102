// Tests of the CEF syntax helpers: header split and extension key=value parsing with escapes.
import { describe, expect, it } from 'vitest';
import { findCefStart, parseCefExtension, parseCefHeader } from './cef.js';

describe('parseCefExtension', () => {
  it('keeps spaces inside values and splits before the next key', () => {
    const m = parseCefExtension(
      'src=192.0.2.1 msg=alert spoofed packet deviceFacility=Packet Filtering act=Discard',
    );
    expect(m.get('src')).toBe('192.0.2.1');
    expect(m.get('msg')).toBe('alert spoofed packet');
    expect(m.get('deviceFacility')).toBe('Packet Filtering');
    expect(m.get('act')).toBe('Discard');
  });

  it('unescapes \\= and \\\\ and \\n, and keeps an = after a non-key word inside the value', () => {
    const m = parseCefExtension(
      'msg=PID\\=18072 a\\\\b line\\nnext originsicname=CN\\\\=fw01,O\\=mgmt dst=198.51.100.7',
    );
    expect(m.get('msg')).toBe('PID=18072 a\\b line\nnext');
    expect(m.get('originsicname')).toBe('CN\\=fw01,O=mgmt');
    expect(m.get('dst')).toBe('198.51.100.7');
  });

  it('trims doubled spaces, keeps the first of a repeated key, ignores text without keys', () => {
    const m = parseCefExtension('duser=A B (X1)  rt=1592559931000 layer_name=one layer_name=two');
    expect(m.get('duser')).toBe('A B (X1)');
    expect(m.get('rt')).toBe('1592559931000');
    expect(m.get('layer_name')).toBe('one');
    expect(parseCefExtension('no keys here').size).toBe(0);
    expect(parseCefExtension('').size).toBe(0);
  });
});

describe('parseCefHeader', () => {
  it('splits the seven fields with escaped pipes and finds CEF after a relay prefix', () => {
    const line = 'host CEF:0|Acme\\|Corp|FW|1.0|100|Conn denied|5|src=192.0.2.1 dst=198.51.100.2';
    const at = findCefStart(line);
    expect(at).toBe(5);
    const h = parseCefHeader(line.slice(at))!;
    expect(h.vendor).toBe('Acme|Corp');
    expect(h.name).toBe('Conn denied');
    expect(h.severity).toBe('5');
    expect(h.extension).toBe('src=192.0.2.1 dst=198.51.100.2');
    expect(parseCefHeader('CEF:0|a|b|c')).toBeNull();
    expect(findCefStart('CEF: 0|Check Point|x')).toBe(0);
    expect(findCefStart('no CEF:here')).toBe(-1);
  });
});

// Tests of the CEF syntax helpers: header split and extension key=value parsing with escapes.
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../test/helpers.js';
import { TALLY_KEY_CHARS } from '../analyze/key-tally.js';
import { cutText } from '../util/strings.js';
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

describe('observer product from a CEF or LEEF header', () => {
  it('is cut to the summary bound on the event itself: a hostile vendor or product name is not carried whole', async () => {
    const long = 'P'.repeat(5000);
    const lines = [
      `CEF:0|Acme|${long}|1.0|100|Connection denied|5|src=203.0.113.7 spt=40112 dst=192.0.2.10 dpt=22 proto=TCP act=deny`,
      `LEEF:2.0|${long}|EdgeWall|4.2|traffic-deny|^|src=203.0.113.7^srcPort=40112^dst=192.0.2.10^dstPort=22^proto=TCP^action=deny`,
      `CEF:0|SonicWall|${long}|7.1.1-7047|608|IPS Detection Alert|9|src=203.0.113.52 spt=44122 dst=192.0.2.31 dpt=445 proto=tcp/445 fw_action="NA"`,
      `<134>1 2026-03-14T08:50:01Z gw-01 CheckPoint 2211 - [action:"Drop"; ifdir:"inbound"; origin:"192.0.2.1"; time:"1773478201"; dst:"192.0.2.10"; product:"${long}"; proto:"6"; s_port:"40112"; service:"3389"; src:"203.0.113.7"]`,
    ];
    const { events } = await ingestText(`${lines.join('\n')}\n`);
    expect(events.map((e) => e.format)).toEqual(['cef', 'leef', 'sonicwall', 'checkpoint']);
    for (const e of events) {
      expect(e.observerProduct!.length).toBe(TALLY_KEY_CHARS);
      expect(e.observerProduct!.endsWith('…')).toBe(true);
    }
    expect(events[0]!.observerProduct).toBe(cutText(`acme ${long.toLowerCase()}`, TALLY_KEY_CHARS));
    // A product name within the bound is kept as it was.
    const short = await ingestText(`${lines[0]!.replace(long, 'EdgeWall')}\n`);
    expect(short.events[0]!.observerProduct).toBe('acme edgewall');
  });
});

// The linear rewrites of parser patterns (issue 14) read what the old backtracking patterns read: each is run
// against its old pattern on many short generated lines (old patterns are fine on short text).
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../util/prng.js';
import { MAX_QUOTED_VALUE_CHARS, MAX_RECORD_FIELDS, splitDelimited, splitFields } from '../util/text-scan.js';
import { parseCefExtension, parseCefHeader, unescapeValue } from './cef.js';
import { parseColonQuoted, parseLeaPairs, parsePositionalExport } from './checkpoint/fields.js';
import { LAYOUTS_BY_ID } from './cisco-asa/catalog.js';
import { parseJunosStructuredData } from './juniper-srx/text.js';
import { parseKeyValues } from './key-value.js';
import { firewallParts } from './mikrotik.js';
import { ruleVerdict } from './nftables-trace/index.js';
import { matchClassicLayout, matchMonitorLayout } from './watchguard-layouts.js';

/** `count` lines of 1 to `max` words picked from `words`, joined by one of the given gaps; always the same. */
function lines(words: string[], gaps: string[], count: number, max: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: count }, () => {
    let line = pick(words);
    for (let n = Math.floor(rnd() * max); n > 0; n--) line += pick(gaps) + pick(words);
    return line;
  });
}

/** `count` lines built slot by slot, each slot one of its choices (`''` leaves it out); always the same. */
function templated(slots: string[][], count: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: count }, () => slots.map((xs) => xs[Math.floor(rnd() * xs.length)]!).join(''));
}

/** The captures of a match as an array (`undefined` kept), or null. */
const groups = (m: RegExpExecArray | null) => (m ? [...m].slice(1) : null);

const IP = '[0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*';
const OLD_CLASSIC = new RegExp(
  `^(Allow|Deny)\\s+(.+?)\\s+(?:(\\d+)\\s+)?([a-z][a-z0-9-]*|\\d{1,3})\\s+(?:(\\d+)\\s+(\\d+)\\s+)?(${IP})\\s+(${IP})(?:\\s+(\\d+)\\s+(\\d+))?(?=\\s|$)`,
);
const OLD_MONITOR = new RegExp(
  `^(?:Member\\d+\\s+)?(Allow|Deny)\\s+(${IP})\\s+(${IP})\\s+\\S*?/?([a-z][a-z0-9-]*)\\s+(?:(\\d+)\\s+(\\d+)\\s+)?(.+?)\\s+(?:Allowed|Denied)(?:\\s+(\\d+)\\s+(\\d+))?\\s+\\(([^)]*)\\)`,
);

describe('watchguard layouts match as their old patterns did', () => {
  it('classic layout', () => {
    const words = [
      'Allow',
      'Deny',
      '0-External',
      'if 1',
      '60',
      '6',
      'tcp',
      'Icmp',
      '20',
      '49',
      '203.0.113.7',
      '::1',
      '.',
      'x',
    ];
    for (const body of lines(words, [' ', '  ', '\t', '   '], 40_000, 10, 1)) {
      // A run of three blanks after the verdict lets the old pattern take a blank as the interface text.
      const line = `${['Allow', 'Deny'][body.length % 2]}${[' ', '   '][(body.length >> 1) % 2]}${body}`;
      expect(groups_(matchClassicLayout(line)), line).toEqual(groups(OLD_CLASSIC.exec(line)));
    }
  });

  it('12.10 layout', () => {
    const gap = [' ', ' ', '  ', '\t', '   '];
    const slots = [
      ['', 'Member1 ', 'Member '],
      ['Allow', 'Deny', 'Allowed'],
      gap,
      ['203.0.113.7', '::1', 'x'],
      gap,
      ['192.0.2.1', '.'],
      gap,
      ['http/tcp', 'HTTPtcp', 'a/b/udp', 'icmp', 'TCP', '9/x-1'],
      ['', ' 40 22', ' 40'],
      gap,
      ['', '1-Trusted', 'if 1', 'Allowed', '40'],
      ['', ' 0-External', ' Denied x', '   y'],
      gap,
      ['Allowed', 'Denied', 'x'],
      ['', ' 60 51', ' 60'],
      gap,
      ['(pol)', '(a (b)', '(', '(x', 'pol)', ''],
      ['', ' k="v"', ')', ' (p)'],
    ];
    let matched = 0;
    for (const line of templated(slots, 40_000, 2)) {
      const old = groups(OLD_MONITOR.exec(line));
      if (old) matched++;
      expect(groups_(matchMonitorLayout(line)), line).toEqual(old);
    }
    expect(matched).toBeGreaterThan(2000);
  });
});

/** A layout match without its unused index 0, as `groups` gives for a pattern. */
function groups_(m: (string | undefined)[] | null) {
  return m ? m.slice(1) : null;
}

const OLD_FIREWALL =
  /^(?:(.*?) )?(input|output|forward|prerouting|postrouting|srcnat|dstnat|[\w-]+): in:(.*?) out:(.*?), (.*?)proto ([\w-]+)(?: \(([^)]*)\))?, (\S+?)->(\S+?)(?:, NAT (.*?))?, len (\d+)$/;

describe('mikrotik firewall lines split as the old pattern split them', () => {
  it('on generated lines', () => {
    const slots = [
      ['', 'drop-in ', 'a b ', ' ', 'x: in: '],
      ['input', 'forward', 'my-chain', 'a.b', ''],
      [': in:', ': in: ', ' in:', ': in:x out:y, '],
      ['ether1', '', '(unknown 0)', 'a out:b'],
      [' out:', ' out: ', 'out:'],
      ['ether2', '(unknown 0)', '', 'x, y'],
      [', ', ',', ', , '],
      // Nor `proto ` before the protocol: the new reader takes the first one (RouterOS writes it once).
      ['', 'connection-state:new ', 'src-mac 00:00:5e:00:53:01, ', 'x, '],
      ['proto ', 'proto  ', 'proto'],
      ['TCP', 'UDP', 'ICMP', '6'],
      ['', ' (SYN)', ' (SYN,ACK)', ' (type 3, code 1)', ' (x'],
      [', ', ','],
      // No `>` inside a source address: the new pattern ends the source at the first `>` (a deliberate change).
      ['203.0.113.5:44444', '[2001:db8::1]:40', 'a-b', 'a->b'],
      ['->', '-> ', '->->'],
      ['192.0.2.1:22', '192.0.2.1', 'x,y'],
      ['', ', NAT (1.2.3.4:5->6.7.8.9:10)', ', NAT a, len 3'],
      [', len 60', ', len ', ' len 60', ', len 60 '],
    ];
    let matched = 0;
    for (const line of templated(slots, 40_000, 3)) {
      const old = groups(OLD_FIREWALL.exec(line));
      if (old) matched++;
      expect(firewallParts(line), line).toEqual(old);
    }
    expect(matched).toBeGreaterThan(300);
  });
});

const OLD_RULE_VERDICT = /^rule (.*) \(verdict ([a-z]+)[^)]*\)$/;

describe('nftables rule verdicts read as the old pattern read them', () => {
  it('on generated lines', () => {
    const words = ['rule', 'tcp', '(verdict', 'drop)', 'accept', ')', '(', 'x)', 'jump', 'drop', 'a\nb'];
    for (const body of lines(words, [' ', '  '], 40_000, 8, 4)) {
      const what = `rule ${body}`;
      const old = OLD_RULE_VERDICT.exec(what);
      expect(ruleVerdict(what), what).toEqual(old ? { rule: old[1], verdict: old[2] } : undefined);
    }
  });
});

describe('Check Point and Junos field lists read as the old patterns read them', () => {
  const oldColonQuoted = (text: string) => {
    const out = new Map<string, string>();
    const re = /([A-Za-z_][\w.-]*):+"((?:[^"\\]|\\.)*)"/g;
    for (let m = re.exec(text); m !== null; m = re.exec(text))
      if (!out.has(m[1]!)) out.set(m[1]!, m[2]!.replace(/\\(.)/g, '$1'));
    return out;
  };
  const oldJunos = (sd: string) => {
    const out = new Map<string, string>();
    const re = /([\w.-]+)=(?:"((?:[^"\\]|\\.)*)"|”([^”]*)”)/g;
    for (let m = re.exec(sd); m !== null; m = re.exec(sd)) {
      const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
      if (!out.has(m[1]!)) out.set(m[1]!, value);
    }
    return out;
  };
  const pieces = ['a', '9b', 'k.x', ':', '::', '=', '"', '\\', '\\"', '”', ';', ' ', '\n', 'v'];

  it('colon-quoted pairs', () => {
    for (const t of lines(pieces, [''], 40_000, 12, 5))
      expect(parseColonQuoted(t), t).toEqual(oldColonQuoted(t));
  });

  it('Junos structured data', () => {
    for (const t of lines(pieces, [''], 40_000, 12, 6))
      expect(parseJunosStructuredData(t), t).toEqual(oldJunos(t));
  });

  it('LEA pairs and the positional export', () => {
    const oldLea = (text: string) => {
      const out = new Map<string, string>();
      for (const part of text.split(/\s*[|;]\s*/)) {
        const eq = part.indexOf('=');
        if (eq <= 0) continue;
        const key = part.slice(0, eq).trim();
        let value = part.slice(eq + 1).trim();
        if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
        if (/^[\w./-]+$/.test(key) && !out.has(key)) out.set(key, value);
      }
      return out;
    };
    for (const t of lines(['a', 'b=1', '=', ' ', '|', ';', '"x"', '"'], [''], 20_000, 10, 7))
      expect(parseLeaPairs(t), t).toEqual(oldLea(t));
    const exported =
      '"22" "10Dec2019" "23:44:49" "eth1" "gw" "log" "drop" "ssh" "1" "203.0.113.7" "192.0.2.1" "tcp"';
    expect(parsePositionalExport(exported).get('src')).toBe('203.0.113.7');
  });
});

describe('CEF extensions split as before', () => {
  const KEY_RE = /^[A-Za-z0-9_.[\]-]+$/;
  const nextEq = (text: string, from: number) => {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 61) return i;
    }
    return -1;
  };
  /** The reader before issue 14, without its value unescaping (the same function serves both). */
  const oldBoundaries = (text: string) => {
    const out: [string, number, number][] = [];
    let keyStart = 0;
    let eq = nextEq(text, 0);
    while (eq >= 0) {
      let next = nextEq(text, eq + 1);
      let valueEnd = text.length;
      let nextKeyStart = -1;
      while (next >= 0) {
        const sp = text.lastIndexOf(' ', next);
        if (sp > eq && KEY_RE.test(text.slice(sp + 1, next))) {
          valueEnd = sp;
          nextKeyStart = sp + 1;
          break;
        }
        next = nextEq(text, next + 1);
      }
      out.push([text.slice(keyStart, eq).trim(), eq, valueEnd]);
      if (nextKeyStart < 0) break;
      keyStart = nextKeyStart;
      eq = next;
    }
    return out;
  };

  /** The value unescaping before issue 14 (a character at a time). */
  const oldUnescape = (raw: string) => {
    if (!raw.includes('\\')) return raw;
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c !== '\\' || i === raw.length - 1) {
        out += c;
        continue;
      }
      const n = raw[++i];
      out += n === 'n' ? '\n' : n === 'r' ? '\r' : n;
    }
    return out;
  };

  it('on generated extensions: the same keys and values', () => {
    const words = ['src', 'a.b', '=', ' ', 'x', '\\=', '[1]', '\\', '-', '\\n', '\\ ', 'k=', ' =', '\\\\'];
    for (const t of lines(words, [''], 40_000, 12, 8)) {
      const expected = new Map<string, string>();
      for (const [key, eq, end] of oldBoundaries(t))
        if (KEY_RE.test(key) && !expected.has(key))
          expected.set(key, oldUnescape(t.slice(eq + 1, end).trim()));
      const got = parseCefExtension(t);
      expect([...got.entries()], t).toEqual([...expected.entries()]);
    }
  });

  it('unescapes values as the character loop did', () => {
    for (const t of lines(['a', '\\', 'n', 'r', '=', ' ', '\\\\'], [''], 20_000, 10, 11))
      expect(unescapeValue(t), t).toBe(oldUnescape(t));
  });

  it('cuts a value longer than MAX_QUOTED_VALUE_CHARS before unescaping it', () => {
    expect(unescapeValue('\\'.repeat(50_000))).toBe('\\'.repeat(MAX_QUOTED_VALUE_CHARS / 2));
    const long = `${'x'.repeat(MAX_QUOTED_VALUE_CHARS)}tail`;
    expect(unescapeValue(long)).toBe('x'.repeat(MAX_QUOTED_VALUE_CHARS));
  });
});

/**
 * Cisco ASA layouts whose patterns issue 14 rewrote, with their old patterns (the connection number captured
 * since Built and Teardown give it as the session's id, as the layouts' groups are numbered now).
 */
const OLD_ASA: Record<string, RegExp> = {
  '302013':
    /^Built (inbound|outbound) (TCP|UDP|SCTP) connection (\d+) for (.+?) \([^()]*\)(?:\s*\([^()]*\))* to (.+?) \([^()]*\)/,
  '302014': /^Teardown (TCP|UDP|SCTP) connection (\d+) for (.+?) to (.+?) duration \S+ bytes (\d+)/,
  '106023':
    /^Deny (protocol \d+|\S+) src (.+?) dst (.+?)(?:\s*\(type (\d+), code (\d+)\))? by access-group "([^"]*)"/,
  '106010':
    /^Deny inbound (?:\(No xlate\) )?(protocol \d+|\S+) src (.+?) dst (.+?)\s*(?:\(type (\d+), code (\d+)\))?\.?\s*$/,
  '106001': /^Inbound (TCP) connection denied from (\S+) to (\S+) flags (.*?)\s+on interface (\S+?)\.?\s*$/,
  '106006': /^Deny inbound (\S+) from (\S+) to (\S+?)(?: on\s+interface (\S+?)| due to .*?)\.?\s*$/,
};

describe('Cisco ASA layouts give the drafts their old patterns gave', () => {
  const gap = [' ', ' ', '  ', '\t'];
  const end = [
    'outside:203.0.113.9/44321',
    'inside:192.0.2.10/23',
    'NP Identity Ifc: 10.0.0.2/22',
    'x dst y',
    'a to b',
  ];
  const templates: Record<string, string[][]> = {
    '302013': [
      ['Built inbound TCP connection 1 for '],
      end,
      [' (203.0.113.9/1)', '(x)', ''],
      ['', '(LOCAL\\u)', ' (u)'],
      [' to '],
      end,
      [' (192.0.2.10/23)', '', ' (a'],
      ['', ' (u)'],
    ],
    '302014': [
      ['Teardown TCP connection 1 for '],
      end,
      [' to ', ' to x to '],
      end,
      [' duration 0:00:01 bytes 10', ' duration  bytes 1', ' duration 1 bytes 2 TCP FINs'],
    ],
    '106023': [
      ['Deny tcp src ', 'Deny protocol 47 src '],
      end,
      [' dst ', ' dst x dst '],
      end,
      ['', ' (type 3, code 1)', '\t(type 3, code 1)'],
      ['', ' ', '  '],
      [' by access-group "IN"', 'by access-group "x"', ' by access-group "a'],
    ],
    '106010': [
      ['Deny inbound ', 'Deny inbound (No xlate) '],
      ['udp src ', 'protocol 47 src '],
      end,
      [' dst '],
      end,
      ['', ' (type 3, code 1)', '(type 3, code 1)'],
      ['', '.', ' .'],
      ['', ' ', '\t'],
    ],
    '106001': [
      ['Inbound TCP connection denied from 1.2.3.4/5 to 6.7.8.9/10 flags '],
      ['SYN', 'SYN ACK', '', ' '],
      gap,
      ['on interface outside', 'on interface x.', 'x'],
      ['', ' '],
    ],
    '106006': [
      ['Deny inbound UDP from 1.2.3.4/5 to 6.7.8.9/10'],
      ['', '.'],
      [' on interface outside', ' due to DNS Query', ' on\tinterface x', ''],
      ['', '.', ' ', ' .'],
    ],
  };
  for (const [id, slots] of Object.entries(templates))
    it(id, () => {
      const layout = LAYOUTS_BY_ID.get(id)!;
      let matched = 0;
      for (const body of templated(slots, 5_000, Number(id))) {
        const old = OLD_ASA[id]!.exec(body);
        const now = layout.re.exec(body);
        if (old) matched++;
        expect(now && layout.read(now, id), body).toEqual(old && layout.read(old, id));
      }
      expect(matched).toBeGreaterThan(100);
    });
});

describe('delimited lines split as the character loop split them, and every field list is bounded', () => {
  const oldSplit = (line: string, delimiter: string): string[] => {
    if (!line.includes('"')) return line.split(delimiter);
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"' && cur === '') quoted = true;
      else if (line.startsWith(delimiter, i)) {
        out.push(cur);
        cur = '';
        i += delimiter.length - 1;
      } else cur += c;
    }
    out.push(cur);
    return out;
  };

  it('quoted and plain fields, one- and two-character delimiters', () => {
    const pieces = ['a', 'b c', ',', ';', ';;', '"', '""', 'x"y', '\\'];
    for (const t of lines(pieces, [''], 30_000, 14, 8)) {
      expect(splitDelimited(t, ','), t).toEqual(oldSplit(t, ','));
      expect(splitDelimited(t, ';;'), t).toEqual(oldSplit(t, ';;'));
    }
  });

  it('stops after MAX_RECORD_FIELDS fields, plus one to tell the overflow', () => {
    const hostile = '|'.repeat(60_000);
    expect(splitFields(hostile, '|')).toHaveLength(MAX_RECORD_FIELDS + 1);
    expect(splitDelimited(`"a"${','.repeat(60_000)}`, ',')).toHaveLength(MAX_RECORD_FIELDS + 1);
    const pairs = Array.from({ length: 5000 }, (_, i) => `k${i}=${i}`).join(' ');
    const read = parseKeyValues(pairs);
    expect(read.size).toBe(MAX_RECORD_FIELDS);
    expect(read.get('k0')).toBe('0');
    expect(read.get(`k${MAX_RECORD_FIELDS - 1}`)).toBe(String(MAX_RECORD_FIELDS - 1));
    expect(read.has(`k${MAX_RECORD_FIELDS}`)).toBe(false);
  });
});

describe('CEF headers split as the character loop split them', () => {
  const oldHeader = (text: string) => {
    let i = text.startsWith('CEF:') ? 4 : 0;
    if (text.charCodeAt(i) === 32) i++;
    const fields: string[] = [];
    let cur = '';
    for (; i < text.length && fields.length < 7; i++) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length) cur += text[++i];
      else if (c === '|') {
        fields.push(cur);
        cur = '';
      } else cur += c;
    }
    return fields.length < 7 ? null : { fields, extension: text.slice(i) };
  };
  it('fields, escapes and the extension', () => {
    for (const t of lines(['CEF:', '0', '|', '\\', '\\|', 'a', ' ', 'k=v', '\t'], [''], 30_000, 16, 9)) {
      const h = parseCefHeader(t);
      const o = oldHeader(t);
      const read = h && [h.version, h.vendor, h.product, h.deviceVersion, h.signatureId, h.name, h.severity];
      // The version is trimmed, as parseCefHeader always did.
      expect(h && { fields: read, extension: h.extension }, t).toEqual(
        o && { fields: [o.fields[0]!.trim(), ...o.fields.slice(1)], extension: o.extension },
      );
    }
  });
});

describe('quoted key=value values read as the character loop read them', () => {
  /** The quoted-value reader parseKeyValues had, on the text after the opening quote. */
  const oldQuoted = (text: string): string => {
    const n = text.length;
    let j = 0;
    let v = '';
    while (j < n) {
      const c = text[j]!;
      if (c === '\\' && text[j + 1] === '"') {
        v += '"';
        j += 2;
      } else if (
        c === '"' &&
        text[j + 1] === '"' &&
        j + 2 < n &&
        text[j + 2] !== ' ' &&
        text[j + 2] !== '\t'
      ) {
        v += '"';
        j += 2;
      } else if (c === '"') break;
      else {
        v += c;
        j++;
      }
    }
    return v;
  };
  it('escapes, doubled quotes, blanks and unclosed values', () => {
    for (const t of lines(['a', ' ', '\t', '"', '""', '\\"', '\\', 'x y'], [''], 30_000, 10, 10))
      expect(parseKeyValues(`k="${t}`, { separator: 'space' }).get('k'), t).toBe(oldQuoted(t));
  });
});

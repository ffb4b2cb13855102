// Junos record bodies read into one field map with the structured-data names (`source-address`, `policy-name` ...):
// the `[junos@... k="v"]` block itself, the plain-text RT_FLOW session messages and RT_SCREEN alarms.
import { isKeyCharCode, readBackslashQuoted, unescapeQuoted } from '../../util/text-scan.js';

/**
 * Read `[junos@2636.1.1.1.2.39 source-address="192.0.2.1" ...]`. Values may be escaped (`\"`, `\]`) or,
 * as some relays write them, wrapped in typographic quotes (`”st0.0”`). A repeated key keeps its first value.
 */
export function parseJunosStructuredData(sd: string): Map<string, string> {
  // A scan in place of `/([\w.-]+)=(?:"((?:[^"\\]|\\.)*)"|”([^”]*)”)/g`, which restarts inside every long word.
  const out = new Map<string, string>();
  const n = sd.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isKeyCharCode(sd.charCodeAt(i))) i++;
    const start = i;
    while (i < n && isKeyCharCode(sd.charCodeAt(i))) i++;
    if (i === start || sd[i] !== '=') continue;
    const keyEnd = i;
    const open = i + 1;
    let value: string | undefined;
    if (sd[open] === '"') {
      const read = readBackslashQuoted(sd, open);
      if ('inner' in read) {
        value = unescapeQuoted(read.inner);
        i = read.end;
      }
    } else if (sd[open] === '”') {
      const close = sd.indexOf('”', open + 1);
      if (close >= 0) {
        value = sd.slice(open + 1, close);
        i = close + 1;
      }
    }
    // Without a value the search goes on after the `=` (a typographic quote inside may still open one).
    if (value === undefined) i = open;
    else {
      // The key is cut only for a pair with a value (a run of `a=a=a=` would cut one per `=`).
      const key = sd.slice(start, keyEnd);
      if (!out.has(key)) out.set(key, value);
    }
  }
  return out;
}

/** `ge-0/0/1.0`, `reth0.100`, `ae1`, `st0.0`, `irb.10`: a Junos interface name. */
const INTERFACE_RE =
  /^(?:[a-z]{2,4}-\d+\/\d+\/\d+(?:\.\d+)?|(?:reth|ae|lo|st|irb|fxp|vlan|gr|ip|lt)\d*(?:\.\d+)?)$/;

// Addresses hold no `/`, so each one ends at its port's slash; the rest of the text is taken whole (`[\s\S]*`), so
// a start that reaches it never fails there and the search does not scan the tail again from every `: `.
const TUPLE_RE = /(?:^|: )([^\s/]+)\/(\d+)->([^\s/]+)\/(\d+)(?:0x[0-9a-fA-F]+)? (\S+)(?: ([\s\S]*))?$/;

/**
 * Read the text of an RT_FLOW / APPTRACK session message (after the tag):
 * `session created|closed <reason>:|denied SRC/SPORT->DST/DPORT service ...`. Null when it does not fit.
 */
export function parseRtFlowText(text: string): Map<string, string> | null {
  const head = /^session (created|closed|denied) /.exec(text);
  if (!head) return null;
  const m = TUPLE_RE.exec(text.slice(head[0].length));
  if (!m) return null;
  const f = new Map<string, string>([
    ['source-address', m[1]!],
    ['source-port', m[2]!],
    ['destination-address', m[3]!],
    ['destination-port', m[4]!],
    ['service-name', m[5]!],
  ]);
  const tail = (m[6] ?? '').trim().split(/\s+/);
  let i: number;
  if (head[1] === 'denied') {
    // `17(0) policy src-zone dst-zone ...`: protocol(icmp type).
    const proto = /^(\d{1,3})\((\d+)\)$/.exec(tail[0] ?? '');
    if (!proto) return null;
    f.set('protocol-id', proto[1]!);
    f.set('icmp-type', proto[2]!);
    i = 1;
  } else {
    // After the NAT tuple and the NAT rule names (two or four tokens), the first bare number is the protocol.
    i = tail.findIndex((t, k) => k > 0 && /^\d{1,3}$/.test(t));
    if (i < 0) return null;
    f.set('protocol-id', tail[i]!);
    i++;
  }
  if (tail[i]) f.set('policy-name', tail[i]!);
  if (tail[i + 1]) f.set('source-zone-name', tail[i + 1]!);
  if (tail[i + 2]) f.set('destination-zone-name', tail[i + 2]!);
  // Created and closed sessions go on with the session's number (session-id-32); denied ones have none.
  if (head[1] !== 'denied' && /^\d{1,10}$/.test(tail[i + 3] ?? '')) f.set('session-id-32', tail[i + 3]!);
  // A closed session's number is followed by `packets(bytes)` from the client, then from the server.
  if (head[1] === 'closed' && f.has('session-id-32'))
    for (const [k, side] of [
      [4, 'client'],
      [5, 'server'],
    ] as const) {
      const counts = /^(\d{1,20})\((\d{1,20})\)$/.exec(tail[i + k] ?? '');
      if (!counts) break;
      f.set(`packets-from-${side}`, counts[1]!);
      f.set(`bytes-from-${side}`, counts[2]!);
    }
  const ifc = tail.slice(i + 3).find((t) => INTERFACE_RE.test(t));
  if (ifc) f.set('packet-incoming-interface', ifc);
  return f;
}

/**
 * Read an RT_SCREEN alarm: `SYN flood! source: 203.0.113.7:40112, destination: 192.0.2.10:80,
 * [protocol-id: 6, ]zone name: untrust, interface name: ge-0/0/0.0, action: drop`. Null when it does not fit.
 */
export function parseScreenText(text: string): Map<string, string> | null {
  const m =
    /^(.*?)! source: ([^,\s]+?)(?::(\d+))?, destination: ([^,\s]+?)(?::(\d+))?, (?:protocol-id: (\d+), )?zone name: ([^,]+), interface name: ([^,]+), action: (\w+)/.exec(
      text,
    );
  if (!m) return null;
  const f = new Map<string, string>([
    ['attack-name', `${m[1]}!`],
    ['source-address', m[2]!],
    ['destination-address', m[4]!],
    ['source-zone-name', m[7]!],
    ['interface-name', m[8]!],
    ['action', m[9]!],
  ]);
  if (m[3]) f.set('source-port', m[3]);
  if (m[5]) f.set('destination-port', m[5]);
  if (m[6]) f.set('protocol-id', m[6]);
  return f;
}

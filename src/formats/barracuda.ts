// Barracuda CloudGen Firewall (NG Firewall) logs: `<Level> <box> <text>` as streamed, or `YYYY MM DD hh:mm:ss <Level>
// +hh:mm <text>` as in box_Firewall_Activity.log; only the `|`-separated activity records (`Allow:`, `Block:` ...) carry traffic.

import type { Direction, EventAction } from '../event.js';
import { splitFields } from '../util/text-scan.js';
import { type KeyedValues, keyedEvent } from './cef-event.js';
import { APPLIANCE_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { localTime } from './envelope/time.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'barracuda';

/** Width of the level column (`Info     `, `Security `): the level is padded to eight characters plus a space. */
const LEVEL_COLUMN = 9;
const LINE_RE =
  /^(?:(\d{4}) (\d{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) )?(Info|Notice|Warning|Security|Error|Debug|Critical|Alert|Fatal|Panic|Emergency)( +)(?:([+-]\d{2}):(\d{2}) +)?(\S.*)$/;

/** True when level and padding fill the fixed-width column (a longer level is followed by one space). */
function levelColumn(level: string, padding: string): boolean {
  return level.length + padding.length === Math.max(LEVEL_COLUMN, level.length + 1);
}

/** Activity record: `<Action>: <type>|<proto>|...` with the fields in their fixed order, or as `key=value|...`. */
// The first field starts after all blanks (as the greedy ` +` left it), so blanks are not shared between the two.
const ACTIVITY_RE = /^([A-Z][A-Za-z]+): +((?:[^| ][^|]*)?(?:\|[^|]*){9,})$/;

/** Field order of positional activity records (as in the key=value form). */
const ACTIVITY_FIELDS = [
  'type',
  'proto',
  'srcIF',
  'srcIP',
  'srcPort',
  'srcMAC',
  'dstIP',
  'dstPort',
  'dstService',
  'dstIF',
  'rule',
  'info',
  'srcNAT',
  'dstNAT',
] as const;

/** Activity action words; `Local*` are the same decisions taken by the box's own (host) firewall. */
function activityAction(word: string): EventAction | undefined {
  const w = word.replace(/^Local/, '');
  if (w === 'Allow' || w === 'Remove') return 'allow';
  if (w === 'Block' || w === 'Drop' || w === 'Deny') return 'deny';
  if (w === 'Fail' || w === 'Detect') return 'log';
  return undefined;
}

/** Traffic type: LIN (to the box), LOUT (from the box), FWD / IFWD (through it). */
function activityDirection(type: string | undefined): Direction {
  if (type === 'LIN') return 'inbound';
  if (type === 'LOUT') return 'outbound';
  if (type === 'FWD' || type === 'IFWD') return 'forward';
  return 'unknown';
}

function splitActivity(text: string): Map<string, string> {
  const parts = splitFields(text, '|');
  const out = new Map<string, string>();
  if (/^type=/.test(parts[0] ?? '')) {
    for (const p of parts) {
      const eq = p.indexOf('=');
      if (eq > 0) out.set(p.slice(0, eq), p.slice(eq + 1));
    }
  } else for (const [i, name] of ACTIVITY_FIELDS.entries()) out.set(name, parts[i] ?? '');
  return out;
}

/** A field value, or undefined for the empty and all-zero placeholders Barracuda writes. */
function present(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '0.0.0.0' || v === '00:00:00:00:00:00' ? undefined : v;
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const m = LINE_RE.exec(env.message);
  if (!m) return null;
  const fileStamp = m[1] !== undefined;
  const zoned = m[9] !== undefined;
  // Streamed lines (no date) keep the fixed-width level column and name the box next.
  if (!fileStamp && !zoned && !levelColumn(m[7]!, m[8]!)) return null;
  let text = m[11]!;
  if (!zoned && !fileStamp) text = text.replace(/^\S+ +/, '');
  const activity = ACTIVITY_RE.exec(text);
  if (!activity) return { skip: 'box record' };
  const action = activityAction(activity[1]!);
  if (action === undefined) return { skip: `${activity[1]} activity record` };
  const f = splitActivity(activity[2]!);
  let timestamp = env.timestamp;
  if (fileStamp) {
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i])) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    timestamp = zoned
      ? Date.UTC(y, mo - 1, d, h, mi, s) -
        (m[9]!.startsWith('-') ? -1 : 1) * (Math.abs(Number(m[9])) * 60 + Number(m[10])) * 60_000
      : localTime(ctx, y, mo - 1, d, h, mi, s);
  }
  const type = f.get('type');
  const values: KeyedValues = {
    sourceIp: present(f.get('srcIP')),
    destinationIp: present(f.get('dstIP')),
    sourcePort: present(f.get('srcPort')),
    destinationPort: present(f.get('dstPort')),
    protocol: present(f.get('proto')),
    action,
    direction: activityDirection(type),
    timestamp,
    inInterface: present(f.get('srcIF')),
    outInterface: present(f.get('dstIF')),
    ruleName: present(f.get('rule')),
    observerHost: !zoned && !fileStamp ? /^\S+/.exec(m[11]!)?.[0] : env.host,
    observerProduct: 'barracuda cloudgen firewall',
    sourceMac: present(f.get('srcMAC')),
  };
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return damaged('parse.barracuda.noAddress', { activity: String(activity[1]) });
  return keyedEvent(FORMAT_ID, values);
}

/** Barracuda CloudGen Firewall activity log. */
export const barracuda: LogFormat = {
  id: FORMAT_ID,
  label: 'Barracuda CloudGen Firewall',
  description:
    'Barracuda CloudGen (NG) Firewall logs with their level column: the |-separated firewall activity records (Allow, Block, Drop, Remove and their Local* host-firewall forms; positional or key=value) become events; box, authentication, VPN and event-service records are counted as non-traffic.',
  example:
    'Security fw01 Block: FWD|TCP|eth0|203.0.113.7|40112|00:00:5e:00:53:01|192.0.2.10|22|ssh||BLOCKALL|Block by Rule|0.0.0.0|0.0.0.0|0|1|0|0|0|0||||||',
  fields: [...TRAFFIC_FIELDS, 'sourceMac', ...APPLIANCE_FIELDS],
  detect(message: string): number {
    const m = LINE_RE.exec(message);
    if (!m) return 0;
    if (m[1] === undefined && m[9] === undefined && !levelColumn(m[7]!, m[8]!)) return 0;
    return / (?:Local)?(?:Allow|Block|Drop|Deny|Remove|Fail): +\S*\|/.test(message) ? 0.85 : 0.6;
  },
  createParser: statelessParser(parse),
};

// Firepower Threat Defense connection events (430002 start, 430003 end): `Key: value, Key: value` lists.
import type { ConnectionPhase, EventAction } from '../../event.js';
import { stripAngleSpans } from '../../util/text-scan.js';
import { wordTable } from '../../util/word-table.js';
import type { Draft } from './messages.js';

/** Split `EventPriority: Low, SrcIP: 192.0.2.1, Prefilter Policy: x` into keys and values. */
export function parseFtdFields(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of body.split(/,\s+(?=[A-Za-z][\w ]{0,40}?:\s)/)) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const key = part.slice(0, colon).trim();
    if (!out.has(key)) out.set(key, part.slice(colon + 1).trim());
  }
  return out;
}

/** FTD access-control rule actions to fwlens actions (`Block with reset` answers with a RST). */
function ruleAction(text: string | undefined): EventAction {
  const t = stripAngleSpans(text ?? '')
    .trim()
    .toLowerCase();
  if (/^(allow|trust|fastpath)/.test(t)) return 'allow';
  if (/reset/.test(t)) return 'reject';
  if (/^(block|deny|drop)/.test(t)) return 'deny';
  return 'log';
}

/** ICMP type names FTD writes in ICMPType (`Echo Request`) instead of numbers. */
const ICMP_TYPE_NAMES: Record<string, number> = wordTable({
  'echo reply': 0,
  'destination unreachable': 3,
  'source quench': 4,
  redirect: 5,
  'echo request': 8,
  'router advertisement': 9,
  'router solicitation': 10,
  'time exceeded': 11,
  'parameter problem': 12,
  'timestamp request': 13,
  'timestamp reply': 14,
});

function icmpNumber(text: string | undefined, names?: Record<string, number>): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d{1,3}$/.test(text)) return Number(text);
  return names?.[text.toLowerCase()];
}

/**
 * The endpoints, protocol, ICMP type/code and interfaces every FTD event of the 4300xx family names, and
 * FirstPacketSecond, when the event carries it: the second the connection's first packet was seen, in UTC
 * (`2023-07-27T08:13:09Z`), the only time in the line when the device sends its syslog without a header stamp.
 */
function ftdFlow(f: Map<string, string>): Omit<Draft, 'action'> {
  return {
    bodyTime: f.get('FirstPacketSecond') || undefined,
    protocol: f.get('Protocol'),
    src: { ifc: f.get('IngressInterface') || undefined, ip: f.get('SrcIP'), port: f.get('SrcPort') },
    dst: { ifc: f.get('EgressInterface') || undefined, ip: f.get('DstIP'), port: f.get('DstPort') },
    icmpType: icmpNumber(f.get('ICMPType'), ICMP_TYPE_NAMES),
    icmpCode: icmpNumber(f.get('ICMPCode')),
  };
}

/** Draft of a connection event (430002 start, 430003 end), or null when it names neither address. */
export function readFtdConnection(body: string, phase: ConnectionPhase): Draft | null {
  const f = parseFtdFields(body);
  if (f.get('SrcIP') === undefined && f.get('DstIP') === undefined) return null;
  const id = f.get('ConnectionID');
  return {
    action: ruleAction(f.get('AccessControlRuleAction')),
    ...ftdFlow(f),
    ruleName: f.get('AccessControlRuleName'),
    phase,
    ...(id !== undefined && /^\d{1,20}$/.test(id) ? { sessionId: id } : {}),
    // The initiator (SrcIP) and the responder, so far (430002) or over the connection (430003).
    counts: {
      sourcePackets: f.get('InitiatorPackets'),
      sourceBytes: f.get('InitiatorBytes'),
      destinationPackets: f.get('ResponderPackets'),
      destinationBytes: f.get('ResponderBytes'),
    },
  };
}

/**
 * Draft of an intrusion event (430001), or null when it names neither address. InlineResult says what the
 * sensor did: `Blocked`/`Dropped` packets were stopped, anything else (`Would have blocked`, absent) passed.
 */
export function readFtdIntrusion(body: string): Draft | null {
  const f = parseFtdFields(body);
  if (f.get('SrcIP') === undefined && f.get('DstIP') === undefined) return null;
  const inline = (f.get('InlineResult') ?? '').toLowerCase();
  const sid = f.get('SID');
  const signature =
    sid === undefined ? undefined : `${f.get('GID') ?? '1'}:${sid}:${f.get('Revision') ?? '0'}`;
  const message = f.get('Message');
  return {
    action: inline === 'blocked' || inline === 'dropped' ? 'deny' : 'log',
    ...ftdFlow(f),
    ruleName: [signature, message].filter(Boolean).join(' ') || undefined,
  };
}

/** Draft of a file or malware event (430004, 430005), or null when it names neither address. */
export function readFtdFile(body: string): Draft | null {
  const f = parseFtdFields(body);
  if (f.get('SrcIP') === undefined && f.get('DstIP') === undefined) return null;
  const fileAction = (f.get('FileAction') ?? '').toLowerCase();
  return {
    action: fileAction.includes('block') ? (fileAction.includes('reset') ? 'reject' : 'deny') : 'log',
    ...ftdFlow(f),
    ruleName: f.get('FilePolicy') ?? f.get('ThreatName'),
  };
}

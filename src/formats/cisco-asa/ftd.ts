// Firepower Threat Defense connection events (430002 start, 430003 end): `Key: value, Key: value` lists.
import type { EventAction } from '../../event.js';
import { stripAngleSpans } from '../../util/text-scan.js';
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

/** Draft of a connection event, or null when it names neither address. */
export function readFtdConnection(body: string): Draft | null {
  const f = parseFtdFields(body);
  const srcIp = f.get('SrcIP');
  const dstIp = f.get('DstIP');
  if (srcIp === undefined && dstIp === undefined) return null;
  const icmpType = f.get('ICMPType');
  const icmpCode = f.get('ICMPCode');
  return {
    action: ruleAction(f.get('AccessControlRuleAction')),
    protocol: f.get('Protocol'),
    src: { ifc: f.get('IngressInterface') || undefined, ip: srcIp, port: f.get('SrcPort') },
    dst: { ifc: f.get('EgressInterface') || undefined, ip: dstIp, port: f.get('DstPort') },
    icmpType: icmpType && /^\d+$/.test(icmpType) ? Number(icmpType) : undefined,
    icmpCode: icmpCode && /^\d+$/.test(icmpCode) ? Number(icmpCode) : undefined,
    ruleName: f.get('AccessControlRuleName'),
  };
}

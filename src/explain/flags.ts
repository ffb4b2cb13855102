// What the TCP flag combination says: a normal opening, a stealth scan, backscatter, or an impossible packet.
import type { FwEvent, TcpFlag } from '../event.js';
import { type MessageKey, tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Localized, TcpFlagEntry } from '../knowledge/schema.js';
import { leavesInside } from './addresses.js';
import type { Draft } from './draft.js';

type FlagRole = TcpFlagEntry['role'];

/** How the built-in rules read a combination the knowledge base does not list. */
interface FlagReading {
  role: FlagRole;
  technique?: Localized;
  delta: number;
}

/** A built-in reading with the technique's name as its message key (rendered only when text is wanted). */
interface FlagRule {
  role: FlagRole;
  technique?: MessageKey;
  delta: number;
}

/**
 * Built-in reading of a flag set, used when data/tcp-flags.yaml has no entry for it.
 * Technique names follow nmap's (-sN, -sF, -sX).
 */
export function readFlags(flags: readonly string[]): FlagReading {
  const { role, technique, delta } = flagRule(flags);
  return { role, ...(technique ? { technique: tBoth(technique) } : {}), delta };
}

/** `readFlags` with the technique as a message key. */
function flagRule(flags: readonly string[]): FlagRule {
  const s = new Set(flags.filter((f) => f !== 'ECE' && f !== 'CWR'));
  const has = (f: string) => s.has(f);
  const only = (...fs: string[]) => s.size === fs.length && fs.every(has);
  if (s.size === 0) return { role: 'stealth', technique: 'explain.flags.scan.null', delta: 1 };
  if (only('FIN')) return { role: 'stealth', technique: 'explain.flags.scan.fin', delta: 1 };
  if (only('FIN', 'PSH', 'URG')) return { role: 'stealth', technique: 'explain.flags.scan.xmas', delta: 1 };
  if ((has('SYN') && (has('FIN') || has('RST'))) || (has('FIN') && has('RST')))
    return { role: 'invalid', delta: 1 };
  if (only('SYN')) return { role: 'open', delta: 0 };
  if (only('SYN', 'ACK')) return { role: 'reply', delta: 0 };
  if (only('RST') || only('RST', 'ACK')) return { role: 'close', delta: 0 };
  if (has('FIN') && has('ACK')) return { role: 'close', delta: 0 };
  if (has('ACK')) return { role: 'data', delta: 0 };
  return { role: 'invalid', delta: 1 };
}

/** The knowledge-base entry for a flag set, ignoring ECN bits when the exact set is not listed. */
export function flagEntryFor(kb: KnowledgeBase, flags: readonly string[]): TcpFlagEntry | undefined {
  return kb.tcpFlagEntry(flags) ?? kb.tcpFlagEntry(flags.filter((f) => f !== 'ECE' && f !== 'CWR'));
}

/** True for the flag sets a host sends back when someone opened a connection to it (SYN-ACK, RST). */
function isAnswerShape(flags: readonly string[]): boolean {
  const s = new Set(flags.filter((f) => f !== 'ECE' && f !== 'CWR'));
  return (s.size === 2 && s.has('SYN') && s.has('ACK')) || (s.has('RST') && !s.has('SYN') && !s.has('FIN'));
}

/**
 * The TCP flags of an event. A netfilter line that logged the TCP header (WINDOW=) but printed
 * no flag words carried a NULL packet; the parser leaves tcpFlags undefined there, so read it as [].
 */
export function tcpFlagsOf(ev: FwEvent): readonly TcpFlag[] | undefined {
  if (ev.tcpFlags !== undefined) return ev.tcpFlags;
  if (ev.transport === 'tcp' && ev.format === 'netfilter' && ev.tcpWindow !== undefined) return [];
  return undefined;
}

/** What the flag explainer found, for the headline. */
export interface FlagVerdict {
  name?: { en: string; zh: string };
  role?: FlagRole;
  technique?: Localized;
}

/** Explain the TCP flags of an event and adjust the severity for stealth, invalid or backscatter shapes. */
export function explainFlags(ev: FwEvent, kb: KnowledgeBase, draft: Draft): FlagVerdict {
  const flags = tcpFlagsOf(ev);
  if (ev.transport === 'tcp' && flags === undefined && ev.flowTcpFlags) {
    explainFlowFlags(ev.flowTcpFlags, flowFlagsSource(ev.format), draft);
    return {};
  }
  if (ev.transport !== 'tcp' || flags === undefined) return {};
  const shown = flags.length ? flags.join(' ') : '(none)';
  const entry = flagEntryFor(kb, flags);
  const reading = flagRule(flags);
  const role = entry?.role ?? reading.role;
  const technique = entry?.technique ?? (reading.technique ? draft.text(reading.technique) : undefined);
  const source = entry?.facts[0]?.source ?? 'nmap-book';
  const name = entry?.name ?? draft.text(`explain.flags.role.${role}`);

  if (entry) draft.say('tcp-flags', 'explain.flags.named', { name });
  else draft.say('tcp-flags', 'explain.flags.set', { flags: shown, name });
  if (entry) for (const f of entry.facts) draft.line('tcp-flags', { en: f.en, zh: f.zh }, f.source);
  else draft.say('tcp-flags', `explain.flags.about.${role}`, {}, role === 'open' ? 'rfc-9293' : source);

  const arriving = !leavesInside(ev);
  const unasked = ev.action !== 'allow';
  const scanLike = role === 'stealth' || role === 'invalid';
  if (technique)
    draft.say(
      'tcp-flags',
      scanLike ? 'explain.flags.technique' : 'explain.flags.techniqueIfMany',
      { technique },
      source,
    );
  if (scanLike) {
    const delta = entry ? entry.severityDelta : reading.delta;
    if (role === 'stealth')
      draft.adjust(delta, 'explain.reason.stealth', { technique: technique ?? shown }, source);
    else draft.adjust(delta, 'explain.reason.invalidFlags', { flags: shown }, source);
    return { name, role, ...(technique ? { technique } : {}) };
  }
  if (arriving && unasked && (role === 'backscatter' || isAnswerShape(flags))) {
    draft.say('tcp-flags', 'explain.flags.backscatter', { flags: shown }, 'faq');
    const delta = entry && entry.severityDelta < 0 ? entry.severityDelta : -1;
    draft.adjust(delta, 'explain.reason.backscatter', { flags: shown }, source);
    return { name, role: 'backscatter' };
  }
  if (arriving && unasked && (role === 'data' || role === 'close'))
    draft.say('tcp-flags', 'explain.flags.lateOrAckScan', { flags: shown });
  if (entry && entry.severityDelta !== 0)
    draft.adjust(entry.severityDelta, 'explain.reason.flagEntry', { name }, source);
  return { name, role };
}

/** Where a format's flags of a whole flow are documented. */
function flowFlagsSource(format: string): string {
  if (format === 'zeek-conn') return 'zeek-conn-log';
  if (format === 'aws-vpc-flow') return 'aws-vpc-flow-logs';
  return 'suricata-eve-flow';
}

/**
 * The flags of a whole flow (every packet's together): said as such, never judged as one packet's shape (SYN
 * with FIN there is a connection that opened and closed) and without a severity of their own.
 */
function explainFlowFlags(flags: readonly TcpFlag[], source: string, draft: Draft): void {
  draft.say('tcp-flags', 'explain.flags.overFlow', { flags: flags.join(' ') }, source);
  if (flags.includes('SYN') && flags.includes('ACK'))
    draft.say('tcp-flags', 'explain.flags.overFlowOpened', {}, source);
  else if (flags.length === 1 && flags[0] === 'SYN')
    draft.say('tcp-flags', 'explain.flags.overFlowSynOnly', {}, source);
}

// Kinds of recognised non-traffic records shared by the vendor formats, and the firewall's own alarms among
// the events: screen / DoS-policy / IDS / threat records that name a source are events marked in `prefix`, named in `alarmName`.
import type { FwEvent } from '../event.js';
import type { ParseSkip } from './types.js';

/** Skip kinds several vendors share (a record that carries no packet or connection). */
export const NON_TRAFFIC = {
  system: 'system event',
  configuration: 'configuration',
  authentication: 'authentication',
  highAvailability: 'high availability',
  vpn: 'VPN',
  sessionUpdate: 'session update',
} as const;

/**
 * A record of a known vendor whose message id fwlens does not know: counted as not traffic under that vendor
 * with its id, so a user sees which ids a later version should learn.
 */
export function notUnderstood(id: string): ParseSkip {
  return { skip: `${NOT_UNDERSTOOD}${id}` };
}

/** How every `notUnderstood` skip kind starts. */
export const NOT_UNDERSTOOD = 'not understood: ';

/** What kind of alarm the firewall itself raised about a packet or a source. */
export type AlarmKind = 'screen' | 'dos' | 'ids' | 'threat';

/** Every alarm event's `prefix` starts with this; the rest is `<kind>:<the vendor's record class>`. */
export const ALARM_PREFIX = 'alarm:';

/** Whom an alarm is about: the record's source (the attacker, the scanner) or its destination. */
export type AlarmSubject = 'source' | 'destination';

/** Written after the kind when the alarm is about the record's destination (`alarm:threat@destination:virus`). */
const DESTINATION_SUBJECT = '@destination';

/**
 * Mark an event as the firewall's own alarm: `prefix` becomes `alarm:<kind>:<vendor class>` (`alarm:screen:RT_SCREEN_TCP`,
 * `alarm:dos:anomaly`, `alarm:threat:THREAT/scan`) and `alarmName` holds the vendor's alarm name ("SYN flood!"); the
 * policy that matched stays in `ruleName`. An alarm about the record's destination (the server that sent an
 * infected file of a session its client opened) says so after the kind: `alarm:threat@destination:virus`.
 */
export function markAlarm<T extends Pick<FwEvent, 'prefix' | 'alarmName'>>(
  ev: T,
  kind: AlarmKind,
  vendorClass: string,
  name: string | undefined,
  subject: AlarmSubject = 'source',
): T {
  ev.prefix = `${ALARM_PREFIX}${kind}${subject === 'destination' ? DESTINATION_SUBJECT : ''}:${vendorClass}`;
  if (name) ev.alarmName = name;
  return ev;
}

/** The alarm an event stands for (a later "the firewall itself flagged X" finding reads this), or undefined. */
export function firewallAlarm(
  ev: Pick<FwEvent, 'prefix' | 'alarmName'>,
): { kind: AlarmKind; vendorClass: string; name?: string; subject?: 'destination' } | undefined {
  const p = ev.prefix;
  if (!p?.startsWith(ALARM_PREFIX)) return undefined;
  const rest = p.slice(ALARM_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const head = rest.slice(0, colon);
  const aboutDestination = head.endsWith(DESTINATION_SUBJECT);
  const kind = (aboutDestination ? head.slice(0, -DESTINATION_SUBJECT.length) : head) as AlarmKind;
  if (!['screen', 'dos', 'ids', 'threat'].includes(kind)) return undefined;
  return {
    kind,
    vendorClass: rest.slice(colon + 1),
    ...(ev.alarmName ? { name: ev.alarmName } : {}),
    ...(aboutDestination ? { subject: 'destination' as const } : {}),
  };
}

// ZoneAlarm ZAlog.txt: comma-separated records `TYPE,yyyy/mm/dd,hh:mm:ss -5:00 GMT,...` after a short header.
// FW* and LOCK records are packets; ACCESS records are Program Control decisions written as a sentence.
import type { Direction, EventAction, FwEvent } from '../event.js';
import { ownValue } from '../util/own.js';
import { splitFields } from '../util/text-scan.js';
import { TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { flowEvent } from './flow-record.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';

/** Type, date, local time and its offset from GMT (ZoneAlarm 4 wrote `GMTGMT` and no space before it). */
const RECORD_RE =
  /^([A-Za-z][A-Za-z_]*),(\d{4})\/(\d{2})\/(\d{2}),(\d{1,2}):(\d{2}):(\d{2}) ?([+-])(\d{1,2}):(\d{2}) ?GMT(?:GMT)?,(.*)$/;

const BANNER_RE = /^ZoneAlarm.* Logging Client v\d/;
const COLUMNS_RE = /^type,date,time,/;

/** Packet records: FWIN/FWOUT/FWROUTE/FWLOOP (firewall) and LOCK (Internet Lock); `_OK` marks an allowed one. */
const PACKET_TYPE_RE = /^(FWIN|FWOUT|FWROUTE|FWLOOP|LOCK)(_OK)?$/;

const PACKET_DIRECTIONS: Record<string, Direction> = {
  FWIN: 'inbound',
  FWOUT: 'outbound',
  FWROUTE: 'forward',
};

/** Records that carry no packet: program permission requests, updates, anti-virus, mail, IM, spyware. */
const OTHER_KINDS: Record<string, string> = {
  PE: 'program permission request',
  ZLUpdate: 'update',
};

/** Service names ZoneAlarm writes instead of a port in ACCESS sentences (`192.0.2.1:DNS`). */
const SERVICE_PORTS: Record<string, number> = {
  FTP: 21,
  SSH: 22,
  TELNET: 23,
  SMTP: 25,
  DNS: 53,
  HTTP: 80,
  POP3: 110,
  NNTP: 119,
  IMAP: 143,
  HTTPS: 443,
};

/**
 * ZoneAlarm's TCP flag letters; `4` and `8` are its names for the two bits above URG, the ones RFC 3168
 * later named ECE and CWR.
 */
const FLAG_LETTERS: Record<string, NonNullable<FwEvent['tcpFlags']>[number]> = {
  S: 'SYN',
  A: 'ACK',
  F: 'FIN',
  R: 'RST',
  P: 'PSH',
  U: 'URG',
  '4': 'ECE',
  '8': 'CWR',
};
const FLAG_ORDER: NonNullable<FwEvent['tcpFlags']> = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];

/** Epoch ms of the record's local time shifted by the offset it states. */
function recordTime(m: RegExpExecArray): number | null {
  const [y, mo, d, h, mi, s] = [2, 3, 4, 5, 6, 7].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return null;
  const offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - offset * 60_000;
}

/** Address and port of `192.0.2.1:80`. */
function endpoint(text: string): [string, string | undefined] {
  const colon = text.lastIndexOf(':');
  return colon > 0 ? [text.slice(0, colon), text.slice(colon + 1)] : [text, undefined];
}

/** A firewall (FWIN, FWOUT ...) or LOCK record: `source:port,destination:port,TCP (flags:S)`. */
function packetRecord(type: string, rest: string): ParseResult {
  const t = PACKET_TYPE_RE.exec(type)!;
  const fields = splitFields(rest, ',');
  if (fields.length < 3) return damaged('parse.zonealarm.noFields', { type });
  const [srcIp, srcPort] = endpoint(fields[0]!.trim());
  const [dstIp, dstPort] = endpoint(fields[1]!.trim());
  const transportText = fields.slice(2).join(',').trim();
  const tm = /^([A-Za-z0-9-]+)(?: \((.*)\))?$/.exec(transportText);
  if (!tm) return damaged('parse.zonealarm.transport', { value: transportText });
  const action: EventAction = t[2] ? 'allow' : 'deny';
  const isIcmp = tm[1]!.toUpperCase() === 'ICMP';
  const ev: FwEvent | ParseError = flowEvent(
    'zonealarm',
    action,
    ownValue(PACKET_DIRECTIONS, t[1]!) ?? 'unknown',
    {
      sourceIp: srcIp,
      destinationIp: dstIp,
      // ICMP records carry `:0` placeholders where ports would be.
      sourcePort: isIcmp ? undefined : srcPort,
      destinationPort: isIcmp ? undefined : dstPort,
      protocol: tm[1],
    },
  );
  if ('error' in ev) return ev;
  const detail = tm[2];
  if (detail !== undefined) {
    // Eight flag letters at most (a longer run is damaged, and spreading it into a set would cost time).
    const flags = /^flags:([SAFRPU48]{0,16})$/.exec(detail);
    const icmp = /^type:(\d{1,3})\/subtype:(\d{1,3})$/.exec(detail);
    if (flags && ev.transport === 'tcp') {
      const seen = new Set([...flags[1]!].map((c) => ownValue(FLAG_LETTERS, c)!));
      ev.tcpFlags = FLAG_ORDER.filter((f) => seen.has(f));
    } else if (icmp && isIcmp && Number(icmp[1]) <= 255 && Number(icmp[2]) <= 255) {
      ev.icmpType = Number(icmp[1]);
      ev.icmpCode = Number(icmp[2]);
    } else
      return damaged('parse.zonealarm.detail', {
        detail: detail.length > 60 ? `${detail.slice(0, 60)}…` : detail,
      });
  }
  if (t[1] === 'LOCK') ev.ruleName = 'Internet Lock';
  return ev;
}

const ACCESS_ADDRESS_RE = /[( ](\d{1,3}(?:\.\d{1,3}){3}):(Port \d+|[A-Za-z][A-Za-z0-9-]*)\)?[.;)]/;

/**
 * An ACCESS record: Program Control's decision in a sentence, e.g. `X was blocked from connecting to the
 * Internet (192.0.2.1:HTTP).` or `The firewall rules for X allow an outgoing UDP connection to 192.0.2.1:DNS.`
 * The address is the remote end; `connecting to`/`sending data to`/`outgoing` make it the destination.
 */
function accessRecord(rest: string): ParseResult {
  // Trailing `,N/A` columns, cut from the end (`/(?:,N\/A)+$/` retries from every `,N/A`).
  let end = rest.length;
  while (end >= 4 && rest.startsWith(',N/A', end - 4)) end -= 4;
  const text = rest.slice(0, end).trim();
  const addr = ACCESS_ADDRESS_RE.exec(`${text} `);
  const outbound = /\b(connecting to|sending data to|outgoing)\b/.test(text);
  const inbound = /\b(accepting a connection from|receiving data from|incoming)\b/.test(text);
  const denied = /\b(blocked|block|denied|unable to obtain permission)\b/.test(text);
  const allowed = /\ballows?\b/.test(text);
  if (!addr || outbound === inbound || denied === allowed) return damaged('parse.zonealarm.access', { text });
  const service = addr[2]!;
  const port = service.startsWith('Port ')
    ? service.slice(5)
    : ownValue(SERVICE_PORTS, service.toUpperCase());
  const remote = outbound
    ? { destinationIp: addr[1], destinationPort: port }
    : { sourceIp: addr[1], sourcePort: port };
  const transport = /\b(TCP|UDP)\b/.exec(text)?.[1];
  const ev = flowEvent('zonealarm', denied ? 'deny' : 'allow', outbound ? 'outbound' : 'inbound', {
    ...remote,
    protocol: transport,
  });
  if ('error' in ev) return ev;
  ev.ruleName = 'Program Control';
  return ev;
}

/** ZoneAlarm ZAlog.txt. */
export const zonealarm: LogFormat = {
  id: 'zonealarm',
  label: 'ZoneAlarm (ZAlog.txt)',
  description:
    'ZoneAlarm personal firewall log: blocked and allowed packets (FWIN/FWOUT/FWROUTE/FWLOOP/LOCK) and Program Control (ACCESS) decisions.',
  example: 'FWIN,2024/03/14,09:43:48 -5:00 GMT,203.0.113.14:1043,192.0.2.60:38293,UDP',
  fields: [...TRAFFIC_FIELDS, 'tcpFlags', 'icmpType', 'icmpCode', 'ruleName'],
  detect(message: string): number {
    const m = RECORD_RE.exec(message);
    if (m) return PACKET_TYPE_RE.test(m[1]!) || m[1] === 'ACCESS' || m[1]! in OTHER_KINDS ? 0.95 : 0.6;
    if (BANNER_RE.test(message)) return 1;
    return COLUMNS_RE.test(message) && message.includes('(Security)') ? 0.9 : 0;
  },
  createParser(_ctx: ParseContext) {
    let afterBanner = false;
    return (env: Envelope) => {
      const message = env.message;
      const m = RECORD_RE.exec(message);
      if (!m) {
        // The header: banner, the Windows version line right after it, then one column list per log kind.
        const wasBanner = afterBanner;
        afterBanner = BANNER_RE.test(message);
        if (afterBanner || COLUMNS_RE.test(message) || (wasBanner && /^Windows /.test(message)))
          return { skip: 'header' };
        return null;
      }
      afterBanner = false;
      const type = m[1]!;
      const time = recordTime(m);
      if (time === null) return damaged('parse.zonealarm.time', { type });
      let result: ParseResult;
      if (PACKET_TYPE_RE.test(type)) result = packetRecord(type, m[11]!);
      else if (type === 'ACCESS') result = accessRecord(m[11]!);
      else return { skip: ownValue(OTHER_KINDS, type) ?? 'non-firewall record' };
      if (result !== null && 'format' in result) {
        result.timestamp = time;
        result.observerProduct = 'zonealarm';
      }
      return result;
    };
  },
};

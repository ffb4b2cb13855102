// Forcepoint NGFW (Stonesoft) syslog export in CEF or LEEF: `CEF:0|FORCEPOINT|Firewall|...|Connection_Discarded|...`.
import type { ConnectionPhase, EventAction } from '../event.js';
import { type CefHeader, cefAction, findCefStart, parseCefHeader, parseCefRecord } from './cef.js';
import { APPLIANCE_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { findLeefStart, type LeefRecord, leefAction, parseLeef, parseLeefRecord } from './leef.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'forcepoint';

/** Forcepoint event names that state a decision the generic words miss. */
function forcepointName(name: string): EventAction | undefined {
  // A closed connection existed, so it was allowed.
  if (/^Connection_Closed$/i.test(name)) return 'allow';
  return undefined;
}

/**
 * Forcepoint logs an allowed connection when it opens (Connection_Allowed) and, with "log accounting information"
 * on its rule, again when it closes (Connection_Closed, with the byte counts): the detectors count the pair once
 * (src/detect/repeat-records.ts). The export carries no connection number.
 */
function forcepointPhase(name: string): ConnectionPhase | undefined {
  if (/^Connection_Allowed$/i.test(name)) return 'start';
  if (/^Connection_Closed$/i.test(name)) return 'end';
  return undefined;
}

function isForcepointCef(message: string): boolean {
  const at = findCefStart(message);
  return at >= 0 && parseCefHeader(message.slice(at))?.vendor.toLowerCase() === 'forcepoint';
}

function isForcepointLeef(message: string): boolean {
  const at = findLeefStart(message);
  return at >= 0 && parseLeef(message.slice(at))?.vendor.toLowerCase() === 'forcepoint';
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  // The record's name (the CEF name, the LEEF event id) states the decision the generic words miss and whether
  // the record opens or closes a connection; the record readers hand it to the decision callback.
  let name: string | undefined;
  let result: ParseResult = null;
  if (isForcepointCef(env.message))
    result = parseCefRecord(
      FORMAT_ID,
      env.message,
      env,
      ctx,
      (fields: Map<string, string>, header: CefHeader) => {
        name = header.name;
        return forcepointName(name) ?? cefAction(fields, name);
      },
    );
  else if (isForcepointLeef(env.message))
    result = parseLeefRecord(FORMAT_ID, env.message, env, ctx, (record: LeefRecord) => {
      name = record.eventId;
      return forcepointName(name) ?? leefAction(record);
    });
  const phase = name === undefined ? undefined : forcepointPhase(name);
  if (phase && result && 'format' in result) result.connectionPhase = phase;
  return result;
}

/** Forcepoint NGFW records exported as CEF or LEEF. */
export const forcepoint: LogFormat = {
  id: FORMAT_ID,
  label: 'Forcepoint NGFW (CEF/LEEF)',
  description:
    'Forcepoint (Stonesoft) NGFW log export in CEF or LEEF: Connection_Allowed, Connection_Discarded and Connection_Closed records with their addresses (the opening and closing records of one allowed connection count once).',
  example:
    'CEF:0|FORCEPOINT|Firewall|6.8.5|70019|Connection_Discarded|0|deviceExternalId=NGFW node 1 dvchost=192.0.2.1 src=203.0.113.7 dst=192.0.2.10 spt=40112 dpt=22 proto=6 act=Discard rt=Mar 14 2026 08:14:00',
  fields: [...TRAFFIC_FIELDS, ...APPLIANCE_FIELDS, 'connectionPhase'],
  detect(message: string): number {
    if (!message.includes('CEF:') && !message.includes('LEEF:')) return 0;
    return isForcepointCef(message) || isForcepointLeef(message) ? 0.9 : 0;
  },
  createParser: statelessParser(parse),
};

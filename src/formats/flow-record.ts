// Shared checks for flow and sensor records (cloud flow logs, Zeek, Suricata, mapped CSV/JSON):
// addresses, ports, protocol and time values validated once, the same way for every format.
import type { ConnectionPhase, Direction, EventAction, FwEvent } from '../event.js';
import { tBoth } from '../i18n.js';
import { canonicalIp, isIPv4 } from '../net/ip.js';
import { isPort, parseProtocol, portlessTransport } from '../net/wire.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../util/text-scan.js';
import { damaged, sideWord } from './damaged.js';
import { parseIsoStamp } from './envelope/time.js';
import type { ParseContext, ParseError } from './types.js';

/** Raw endpoint values of a flow record, as the record holds them (strings, numbers or absent). */
export interface FlowValues {
  sourceIp?: unknown;
  destinationIp?: unknown;
  sourcePort?: unknown;
  destinationPort?: unknown;
  protocol?: unknown;
}

/** True for a value a record uses to say "no value" (`-`, empty, null, absent). */
export function isUnset(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === '-' || v === '(empty)';
}

/** A port from a number or numeric text (`443`, `"443"`, `443.0`); undefined when unset; NaN when invalid. */
export function portValue(v: unknown): number | undefined {
  if (isUnset(v)) return undefined;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.0+)?$/.test(v) ? Number(v) : Number.NaN;
  return isPort(n) ? n : Number.NaN;
}

/**
 * What a cloud flow log record (AWS, Google Cloud, an Azure tuple of a denied flow) is of its connection: the
 * traffic of one 5-tuple over one aggregation interval (AWS: "each record captures a network internet protocol (IP)
 * traffic flow (characterized by a 5-tuple on a per network interface basis) that occurs within an aggregation
 * interval"), so a flow longer than the interval is several records. Like Azure's state C, a record may be a part of a flow that began before it and
 * goes on after: the first record of a 5-tuple counts as its connection and the later ones are repeats
 * (src/detect/repeat-records.ts), however many packets each record sums. Not `whole`: that would count a flow of
 * three intervals as three attempts.
 */
export const FLOW_INTERVAL_PHASE: ConnectionPhase = 'continue';

/** A non-negative integer from a number or numeric text, or undefined. */
export function countValue(v: unknown): number | undefined {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.0+)?$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * A traffic count (packets or bytes a flow or session record sums) from a number or decimal text, or undefined:
 * a value an attacker may have written, so only plain decimal digits (or a JSON integer) up to 2^53 - 1, the
 * largest integer every store and output holds exactly; a whole number written with a zero fraction (Clavister's
 * `termsent=40.0`) is that number, as countValue reads it. A negative, fractional, exponent, hex or larger value
 * (2^64 - 1, a counter's wrap) gives no count rather than a wrong one. 2^53 bytes are 9 PB: no real record.
 */
export function trafficCount(v: unknown): number | undefined {
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && /^\d{1,16}(?:\.0{1,6})?$/.test(v)
        ? Number(v)
        : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The four traffic counts of a flow or session record, raw (as the record holds them). */
export interface TrafficValues {
  sourcePackets?: unknown;
  sourceBytes?: unknown;
  destinationPackets?: unknown;
  destinationBytes?: unknown;
  networkBytes?: unknown;
}

/** Set the traffic counts of a record that are valid counts (trafficCount) on the event; others stay absent. */
export function setTrafficCounts(ev: FwEvent, values: TrafficValues): void {
  for (const key of [
    'sourcePackets',
    'sourceBytes',
    'destinationPackets',
    'destinationBytes',
    'networkBytes',
  ] as const) {
    const n = trafficCount(values[key]);
    if (n !== undefined) ev[key] = n;
  }
}

/**
 * Build an event from a flow record's endpoint values, validating each one, without ports for a protocol
 * that has none (portlessTransport). Returns an error naming the bad value: a port outside 0-65535 or an
 * address that is not an IP.
 */
export function flowEvent(
  format: string,
  action: EventAction,
  direction: Direction,
  values: FlowValues,
): FwEvent | ParseError {
  const ev: FwEvent = { format, action, direction };
  for (const side of ['source', 'destination'] as const) {
    const raw = values[`${side}Ip`];
    if (!isUnset(raw)) {
      const ip = typeof raw === 'string' ? canonicalIp(raw) : null;
      if (ip === null) return damaged('parse.notIp', { side: sideWord(side), value: JSON.stringify(raw) });
      ev[`${side}Ip`] = ip;
      ev.ipVersion = isIPv4(ip) ? 4 : 6;
    }
    const port = portValue(values[`${side}Port`]);
    if (Number.isNaN(port))
      return damaged('parse.notPort', { side: sideWord(side), value: JSON.stringify(values[`${side}Port`]) });
    if (port !== undefined) ev[`${side}Port`] = port;
  }
  if (!isUnset(values.protocol)) {
    const proto = parseProtocol(
      typeof values.protocol === 'string' && /^\d+\.0+$/.test(values.protocol)
        ? Number(values.protocol)
        : values.protocol,
    );
    if (proto === null) return damaged('parse.notProtocol', { value: JSON.stringify(values.protocol) });
    ev.transport = proto.transport;
    if (proto.ianaNumber !== undefined) ev.ianaNumber = proto.ianaNumber;
    // A PIM or GRE packet has no ports: what the record's port columns hold is none.
    if (portlessTransport(proto.transport)) {
      delete ev.sourcePort;
      delete ev.destinationPort;
    }
  }
  return ev;
}

/**
 * Epoch ms from a record's time value: epoch seconds (number or text, with fraction), epoch ms
 * (13 digits) or an ISO 8601 stamp. Undefined when absent or unreadable, or past the last time a Date
 * holds (a 20-digit number: no report could print it).
 */
export function timeValue(v: unknown, ctx: ParseContext): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? epochToMs(v) : undefined;
  if (typeof v !== 'string' || v === '' || v === '-') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return epochToMs(Number(v));
  const iso = parseIsoStamp(v, ctx);
  return iso ? iso[0] : undefined;
}

/** The last time (epoch ms) a JavaScript Date holds, 275760-09-13. */
const MAX_DATE_MS = 8.64e15;

/** Seconds, or milliseconds when the number is too large to be seconds (after year 5000); undefined past MAX_DATE_MS. */
function epochToMs(n: number): number | undefined {
  const ms = n > 1e11 ? Math.round(n) : Math.round(n * 1000);
  return ms <= MAX_DATE_MS ? ms : undefined;
}

/** Earliest time a flow log record may hold: no cloud flow log was written before 2000 (AWS's began in 2015). */
export const EARLIEST_FLOW_TIME = Date.UTC(2000, 0, 1);

/**
 * Earliest time a Zeek or Suricata record may hold: they are also written from old captures read later (the
 * DARPA 1998/1999 sets are still used), but no capture they read is from before 1990; an earlier time is a
 * sensor whose clock was never set (1970) or a damaged field.
 */
export const EARLIEST_SENSOR_TIME = Date.UTC(1990, 0, 1);

/** The earliest time a kind of record may hold, and the reason a record gets for an earlier one. */
export interface EarliestTime {
  ms: number;
  reason: 'parse.flowTimeEarly' | 'parse.sensorTimeEarly';
}
/** Cloud flow logs (AWS, Azure, GCP). */
export const FLOW_LOG_EARLIEST: EarliestTime = { ms: EARLIEST_FLOW_TIME, reason: 'parse.flowTimeEarly' };
/** Network sensors that also read old captures (Zeek, Suricata). */
export const SENSOR_EARLIEST: EarliestTime = { ms: EARLIEST_SENSOR_TIME, reason: 'parse.sensorTimeEarly' };

/**
 * How far past its input's reference time (the file's modification time, or now for a pipe) a flow log
 * record's time may lie: a log is not written before its flows happen, and a day covers clocks and copies.
 */
export const FLOW_TIME_SLACK_MS = 86_400_000;

/** `2026-11-26 09:40:00 UTC`. */
const utcText = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/**
 * Why an epoch time read from a flow or sensor record is none it could hold, or undefined when it is
 * plausible: before `earliest` (`157766400` is 1975: a counter or a damaged column where the time belongs), or
 * more than a day after its input was written (a reference time before 2000, a file date reset to 1970, is
 * not used). `field` names the column in both languages.
 */
function implausibleFlowTime(
  ms: number,
  value: unknown,
  field: { en: string; zh: string },
  ctx: ParseContext,
  earliest: EarliestTime = FLOW_LOG_EARLIEST,
): ParseError | undefined {
  const shown = `${String(value)} (${utcText(ms)})`;
  if (ms < earliest.ms)
    return damaged(earliest.reason, { field, value: shown, year: new Date(earliest.ms).getUTCFullYear() });
  const reference = ctx.referenceTime;
  if (reference >= EARLIEST_FLOW_TIME && ms > reference + FLOW_TIME_SLACK_MS)
    return damaged('parse.flowTimeLate', { field, value: shown, reference: utcText(reference) });
  return undefined;
}

/**
 * A record's time read with timeValue and checked with implausibleFlowTime: the time, the reason it is none
 * the record could hold, or undefined when absent or unreadable (each format says which of those is damaged).
 */
export function recordTime(
  value: unknown,
  field: { en: string; zh: string },
  ctx: ParseContext,
  earliest: EarliestTime = FLOW_LOG_EARLIEST,
): number | ParseError | undefined {
  const ms = timeValue(value, ctx);
  if (ms === undefined) return undefined;
  return implausibleFlowTime(ms, value, field, ctx, earliest) ?? ms;
}

/** A JSON line read as an object, or the reason it could not be. */
export type JsonLine = { record: Record<string, unknown> } | ParseError;

/** True when the line's first non-blank character opens a JSON object (shippers may indent records). */
export function startsJson(message: string): boolean {
  let i = 0;
  while (message.charCodeAt(i) === 32 || message.charCodeAt(i) === 9) i++;
  return message.charCodeAt(i) === 123 /* { */;
}

/** Thrown when a JSON line nests deeper than MAX_JSON_DEPTH, before JSON.parse is asked to read it. */
class TooDeep {}

/** The last line parseJsonObject read and what it made of it: the JSON formats are tried in turn on one record. */
let lastText: string | undefined;
let lastResult: JsonLine | undefined;

/**
 * Parse a line holding one JSON object; undefined when the line is not JSON, an error when it is damaged.
 * The result of the last line is kept, so the several JSON formats the router tries on one record parse it
 * once (a 48 KB line cost each of them a full JSON.parse). Callers read the record, never change it.
 */
export function parseJsonObject(message: string): JsonLine | undefined {
  if (!startsJson(message)) return undefined;
  if (message === lastText) return lastResult;
  let result: JsonLine;
  try {
    if (!jsonDepthWithin(message)) throw new TooDeep();
    const v = JSON.parse(message) as unknown;
    result =
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? { record: v as Record<string, unknown> }
        : damaged('parse.notJsonObject');
  } catch (e) {
    // The engine's own message (JSON.parse) stays English; the depth limit is fwlens's and is worded.
    const detail =
      e instanceof TooDeep ? tBoth('parse.jsonTooDeep', { depth: MAX_JSON_DEPTH }) : (e as Error).message;
    result = damaged('parse.damagedJson', { detail });
  }
  lastText = message;
  lastResult = result;
  return result;
}

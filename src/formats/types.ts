// The contract every log format and every envelope implements: detect, then parse in layers.
import type { FwEvent } from '../event.js';
import type { MessageKey, MessageVars } from '../i18n.js';
import type { ZoneClock } from './envelope/time.js';

/**
 * What an envelope (syslog header, journald record, dmesg stamp ...) leaves once stripped:
 * the payload text plus the metadata the envelope carried.
 */
export interface Envelope {
  /** Id of the envelope that matched, e.g. `rfc3164`, `journald-json`, `bare`. */
  envelope: string;
  /** The payload text the format module parses. */
  message: string;
  /** Epoch ms from the envelope, if it carries a time. */
  timestamp?: number;
  /**
   * The envelope's stamp has the shape of one but is no real date and time (`Feb 30 05:10:00`): no `timestamp`,
   * and a record whose event gets no time of its own is damaged for this reason (see FormatRouter).
   */
  stampProblem?: ParseError;
  /** Host name from the envelope. */
  host?: string;
  /** Host of the syslog relay that put its own header in front of the device's (the outermost one). */
  relay?: string;
  /** Program / tag (`kernel`, `filterlog` ...). */
  program?: string;
  /** RFC 5424 MSGID (`RT_FLOW_SESSION_CREATE` on Junos), when not `-`. */
  msgId?: string;
  /** RFC 5424 structured data as written (`[id k="v" ...][...]`), when not `-`; formats parse it themselves. */
  structuredData?: string;
}

/** Per-run settings and state a parser may read (never the wall clock). */
export interface ParseContext {
  /** Year for timestamps that carry none (RFC 3164, `dmesg -T` has it, pf tcpdump does not). */
  year: number;
  /**
   * Reference time (epoch ms), normally the file's mtime or, for a live source, now: a year-less stamp is read in
   * the year that puts it nearest before this (see inferYearTime).
   */
  referenceTime: number;
  /** True when the year was given (`--year`): a year-less stamp is then read in that year or the one before, never after. */
  yearGiven?: boolean;
  /** Offset in minutes east of UTC used for stamps that carry no zone (default 0 = UTC). */
  utcOffsetMinutes: number;
  /** An IANA zone for stamps that carry none (`--tz Europe/Berlin`); it wins over `utcOffsetMinutes`. */
  zone?: ZoneClock;
  /** Boot time (epoch ms) to turn `[uptime]` stamps into wall time, when known. */
  bootTime?: number;
  /**
   * Set by a format whose header says its zone-less stamps are the writing machine's local time (Windows
   * Firewall's `#Time Format: Local`): read without `--tz` they are read as UTC, and the input's report says so.
   */
  writerLocalTime?: boolean;
}

/** A line the format recognised as its own but could not turn into an event. */
export interface ParseError {
  /** Why, in English (the report's `reason`). */
  error: string;
  /** The same reason as a catalog key and its values, so a report can word it in Chinese too (see `damaged`). */
  reason?: { key: MessageKey; vars?: MessageVars };
}

/**
 * A record the format recognised as its own that carries no packet or connection
 * (a login, a configuration change, a system message). Counted, never an error.
 */
export interface ParseSkip {
  /** Short kind of record, e.g. `system event`, `authentication`, `header`. */
  skip: string;
}

/** Result of parsing one record: an event, an error, a recognised non-traffic record, or `null` for "not mine". */
export type ParseResult = FwEvent | ParseError | ParseSkip | null;

/** True when a parse result is an error. */
export function isParseError(result: ParseResult): result is ParseError {
  return result !== null && (result as ParseError).error !== undefined;
}

/** True when a parse result is a recognised record without traffic. */
export function isParseSkip(result: ParseResult): result is ParseSkip {
  return result !== null && (result as ParseSkip).skip !== undefined;
}

/**
 * One log format: a module with an id used everywhere (file name, fixture folder, `--format`, docs).
 */
export interface LogFormat {
  /** Stable id, kebab-case (`netfilter`, `pf-filterlog`, `windows-pfirewall`). */
  id: string;
  /** Human label. */
  label: string;
  /** One sentence on what writes this format. */
  description: string;
  /** A representative payload line (after the envelope is stripped). */
  example: string;
  /** ECS-aligned event properties this format can fill. */
  fields: (keyof FwEvent)[];
  /**
   * How sure the module is that this payload is its own, 0 (no) to 1 (certain).
   * Called on envelope-stripped messages; must be cheap and must not throw.
   */
  detect(message: string, envelope: Envelope): number;
  /**
   * Make a parser for one input stream. Formats with headers (`#Fields:` ...) keep their state in
   * the closure; stateless formats just return a function. The parser returns null for records
   * that carry no packet and are not errors (comments, headers), and an array of events for a record holding several flows.
   */
  createParser(ctx: ParseContext): RecordParser;
  /**
   * Binary formats only (packet captures): read a whole input whose magic bytes the pipeline recognised,
   * yielding one result per record (packet), each counted like a line. Damage ends the input with an error result.
   */
  readBinary?(stream: AsyncIterable<Uint8Array>, ctx: ParseContext): AsyncIterable<ParseResult>;
}

/**
 * The events of a record holding many flows (a large Azure flow log document), made one at a time as they
 * are taken: a document of a million flows is never a million events in memory at once. The record was read
 * whole before (a damaged flow makes it a ParseError instead); every event carries its own time.
 */
export interface EventSeries {
  /** How many events `events()` makes. */
  readonly flowCount: number;
  events(): Iterable<FwEvent>;
}

/**
 * Result of a record parser: a single result, or several events when one record holds many flows
 * (an Azure flow log document). The pipeline counts such a record once as a line and each event as an event.
 */
export type RecordResult = ParseResult | FwEvent[] | EventSeries;

/** Parses one envelope-stripped record of one input stream. */
export type RecordParser = (envelope: Envelope) => RecordResult;

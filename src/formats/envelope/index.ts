// The envelope layer: strips syslog / journald / dmesg wrappers so format modules see only the payload.

import { jsonDepthWithin } from '../../util/text-scan.js';
import { damaged } from '../damaged.js';
import type { Envelope, ParseContext } from '../types.js';
import { monthIndex, parseCtimeStamp, readBsdStamp, readIsoStamp, type StampRead } from './time.js';

/**
 * The start of an envelope read after a stamp: its time, or, for a stamp that is no real date and time, the
 * reason the record is damaged (quoting the stamp).
 */
function stamped(envelope: string, stamp: StampRead, text: string): Envelope {
  if (stamp.time !== undefined) return { envelope, message: '', timestamp: stamp.time };
  return {
    envelope,
    message: '',
    stampProblem: damaged('parse.impossibleStamp', { value: text.slice(0, stamp.length) }),
  };
}

/** Envelope ids, in the order they are tried. */
export const ENVELOPE_IDS = [
  'journald-json',
  'journald-export',
  'rfc5424',
  'rfc3164',
  'iso-syslog',
  'dmesg-ctime',
  'dmesg',
  'pve-firewall',
  'bare',
] as const;

/** Reader result for a line that continues a multi-line record (journald export). */
export const PENDING = Symbol('pending');

/** Turns raw lines into envelopes; stateful because journald export records span lines. */
export interface EnvelopeReader {
  /** Feed one line (without newline). Returns an envelope, PENDING while a record is open, or null for a blank line. */
  push(line: string): Envelope | typeof PENDING | null;
  /** End of input: returns the last open record, if any. */
  flush(): Envelope | null;
  /** 1-based line number where the record returned last began (differs from the current line for journald export). */
  recordStartLine: number;
  /**
   * Set when the last push ended an open journald export record on a line that is not a journal
   * field (an export file without its closing blank line, followed by other text): push returned
   * the record, and the caller must push the same line again so it is not lost.
   */
  replay: boolean;
}

/** Journal field names: upper-case letters, digits and underscores (systemd.journal-fields). */
const JOURNAL_FIELD_RE = /^[A-Z0-9_]+=/;

const TAG_RE = /^[A-Za-z0-9_\-./()]+(?:\[\d+\])?:$/;
// Kernel uptime stamp, optionally followed by a printk caller id (`[    C0]`, `[  T123]`).
const UPTIME_RE = /^\[\s*(\d+\.\d+)\](?:\[\s*[CT]\d+\])?\s?/;
/** UPTIME_RE without its capture, sticky: matches at lastIndex only (see stripUptime). */
const UPTIME_PREFIX = /\[\s*\d+\.\d+\](?:\[\s*[CT]\d+\])?\s?/y;

/** Strip a kernel `[ 1234.567890] ` uptime stamp at the start of a message. */
function stripUptime(env: Envelope): Envelope {
  if (env.message.charCodeAt(0) === 91) {
    // Sticky and tested, not exec'd: the match's end without a match array per kernel line.
    UPTIME_PREFIX.lastIndex = 0;
    if (UPTIME_PREFIX.test(env.message)) env.message = env.message.slice(UPTIME_PREFIX.lastIndex);
  }
  return env;
}

/**
 * After a stamp: `[host] [tag:] message`. A first token ending in ':' is a tag with no host
 * (`Jan  8 03:37:09 DENY: IN=...`), otherwise it is the host and the next token is a tag only if it
 * looks like one.
 */
function splitHostTag(rest: string, env: Envelope): Envelope {
  let sp = rest.indexOf(' ');
  if (sp < 0) {
    env.message = rest;
    return env;
  }
  let first = rest.slice(0, sp);
  if (TAG_RE.test(first)) {
    env.program = first.slice(0, first.indexOf(first.includes('[') ? '[' : ':'));
    env.message = rest.slice(sp + 1);
    return stripUptime(env);
  }
  // A payload that starts right after the stamp (no host): netfilter's "IN=" or a bracketed prefix.
  if (first.startsWith('IN=') || first.startsWith('[')) {
    env.message = rest;
    return stripUptime(env);
  }
  env.host = first;
  rest = rest.slice(sp + 1);
  sp = rest.indexOf(' ');
  first = sp < 0 ? rest : rest.slice(0, sp);
  if (sp > 0 && TAG_RE.test(first)) {
    env.program = first.slice(0, first.indexOf(first.includes('[') ? '[' : ':'));
    env.message = rest.slice(sp + 1);
  } else env.message = rest;
  return stripUptime(env);
}

const PVE_RE =
  /^\d+ \d+ (\S+) (\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) /;

/**
 * Proxmox VE firewall log (/var/log/pve-firewall.log):
 * `VMID LOGLEVEL CHAIN DD/Mon/YYYY:HH:MM:SS +ZZZZ <disposition>: <netfilter fields>`.
 * The chain is kept in front of the message so the prefix reads `PVEFW-HOST-IN policy DROP:`.
 */
function parsePveFirewall(body: string, _ctx: ParseContext): Envelope | null {
  const m = PVE_RE.exec(body);
  if (!m) return null;
  const month = monthIndex(m[3]!);
  if (month < 0) return null;
  const offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const t =
    Date.UTC(Number(m[4]), month, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7])) - offset * 60_000;
  return {
    envelope: 'pve-firewall',
    program: 'pvefw',
    message: `${m[1]} ${body.slice(m[0].length)}`,
    timestamp: t,
  };
}

/**
 * The most syslog headers a relay chain may have put in front of the device's own one (`relay2` forwards what
 * `relay1` forwarded): past that, the rest of the line is the payload, whatever it starts with.
 */
export const MAX_RELAY_HEADERS = 3;

/**
 * The device's own syslog header left at the start of a message by a relay that added its header in front
 * (`Nov 21 10:00:01 relay1 Nov 21 10:00:00 fw1 kernel: ...`, or an RFC 5424 relay header before a BSD one):
 * the inner header, the device's, wins for time, host and program; the relay's host is kept as `relay`.
 * Only a message with no program yet is looked at (a tag after the outer host means no inner header follows).
 */
function unwrapRelays(env: Envelope, ctx: ParseContext): Envelope {
  let current = env;
  for (let depth = 0; depth < MAX_RELAY_HEADERS && current.program === undefined; depth++) {
    const inner = innerHeader(current.message, ctx);
    if (inner === null) break;
    const relay = current.relay ?? current.host;
    const outer = current;
    current = { ...inner, envelope: env.envelope };
    if (relay !== undefined) current.relay = relay;
    // The device's stamp wins; without a real one the relay's time (or the relay's impossible stamp) stands.
    if (current.timestamp === undefined && outer.timestamp !== undefined) {
      current.timestamp = outer.timestamp;
      delete current.stampProblem;
    } else if (current.timestamp === undefined && current.stampProblem === undefined && outer.stampProblem)
      current.stampProblem = outer.stampProblem;
  }
  return current;
}

/** A syslog header (`<PRI>`, BSD or ISO stamp, then host and tag) at the start of a message, or null. */
function innerHeader(message: string, ctx: ParseContext): Envelope | null {
  let body = message;
  if (body.charCodeAt(0) === 60 /* < */) {
    const close = body.indexOf('>');
    if (close < 2 || close > 4 || !/^\d+$/.test(body.slice(1, close))) return null;
    body = body.slice(close + 1);
    // Meraki's `<PRI>1 <epoch.ns> <device> ...` has no header after the version: the payload follows.
    if (/^1 \d{9,10}\.\d+ /.test(body)) return { envelope: 'rfc3164', message: body.slice(2) };
    if (body.startsWith('1 ')) return parseRfc5424(body.slice(2), ctx);
  }
  const b = body.charCodeAt(0);
  let stamp: StampRead | null = null;
  if (b >= 48 && b <= 57) stamp = readIsoStamp(body, ctx);
  else if (b >= 65 && b <= 90) stamp = readBsdStamp(body, ctx);
  if (stamp === null || body.charCodeAt(stamp.length) !== 32)
    return body === message ? null : { envelope: 'rfc3164', message: body };
  return splitHostTag(body.slice(stamp.length + 1), stamped('rfc3164', stamp, body));
}

/** RFC 5424 after `<PRI>1 `: TIMESTAMP HOST APP PROCID MSGID SD MSG. */
function parseRfc5424(body: string, ctx: ParseContext): Envelope | null {
  const fields: string[] = [];
  let i = 0;
  for (let f = 0; f < 5; f++) {
    const sp = body.indexOf(' ', i);
    if (sp < 0) return null;
    fields.push(body.slice(i, sp));
    i = sp + 1;
  }
  // Structured data: '-' or one or more [id k="v" ...] blocks; values may contain escaped ']' .
  const sdStart = i;
  if (body[i] === '-') i += 1;
  else {
    while (body[i] === '[') {
      let inQuote = false;
      let j = i + 1;
      for (; j < body.length; j++) {
        const c = body.charCodeAt(j);
        if (c === 92 /* \\ */) j++;
        else if (c === 34 /* " */) inQuote = !inQuote;
        else if (c === 93 /* ] */ && !inQuote) break;
      }
      i = j + 1;
    }
  }
  const sdEnd = Math.min(i, body.length);
  if (body[i] === ' ') i++;
  let message = body.slice(i);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  const env: Envelope = { envelope: 'rfc5424', message };
  const stamp = fields[0] === '-' ? null : readIsoStamp(fields[0]!, ctx);
  if (stamp?.time !== undefined) env.timestamp = stamp.time;
  else if (stamp) env.stampProblem = stamped('rfc5424', stamp, fields[0]!).stampProblem!;
  if (fields[1] !== '-') env.host = fields[1];
  if (fields[2] !== '-') env.program = fields[2];
  if (fields[4] !== '-') env.msgId = fields[4];
  if (body[sdStart] === '[') env.structuredData = body.slice(sdStart, sdEnd);
  return stripUptime(env);
}

/** journald record (JSON or export) to an envelope: MESSAGE may be a string or a byte array. */
function fromJournal(
  record: Record<string, unknown>,
  kind: 'journald-json' | 'journald-export',
): Envelope | null {
  let message = record.MESSAGE;
  if (Array.isArray(message)) message = Buffer.from(message as number[]).toString('utf8');
  if (typeof message !== 'string') return null;
  const env: Envelope = { envelope: kind, message };
  const realtime = record.__REALTIME_TIMESTAMP;
  if (typeof realtime === 'string' || typeof realtime === 'number') {
    const us = Number(realtime);
    if (Number.isFinite(us)) env.timestamp = Math.floor(us / 1000);
  }
  if (typeof record._HOSTNAME === 'string') env.host = record._HOSTNAME;
  const ident = record.SYSLOG_IDENTIFIER ?? record._COMM;
  if (typeof ident === 'string') env.program = ident;
  return stripUptime(env);
}

/** Create an envelope reader for one input stream. */
export function createEnvelopeReader(ctx: ParseContext): EnvelopeReader {
  let journal: Record<string, string> | null = null;
  let journalStart = 0;
  let lineNo = 0;
  // Cache: consecutive lines usually share the same second, so parse each stamp text once.
  let lastStampText = '';
  let lastStamp: StampRead | null = null;

  const reader: EnvelopeReader = {
    recordStartLine: 0,
    replay: false,
    push(line: string) {
      lineNo++;
      reader.replay = false;
      if (journal !== null) {
        if (line.length === 0 || !JOURNAL_FIELD_RE.test(line)) {
          if (line.length > 0) {
            // Not a field: the record ended without its blank line. Hand it back and replay this line.
            reader.replay = true;
            lineNo--;
          }
          const rec = journal;
          journal = null;
          reader.recordStartLine = journalStart;
          return fromJournal(rec, 'journald-export') ?? { envelope: 'journald-export', message: '' };
        }
        const eq = line.indexOf('=');
        if (eq > 0) journal[line.slice(0, eq)] = line.slice(eq + 1);
        return PENDING;
      }
      reader.recordStartLine = lineNo;
      if (line.length === 0) return null;
      const c = line.charCodeAt(0);
      if (
        c === 123 /* { */ &&
        line.includes('"MESSAGE"') &&
        line.includes('"__REALTIME_TIMESTAMP"') &&
        // journald's records are flat: a deep one is no journal record (and slow to parse).
        jsonDepthWithin(line)
      ) {
        try {
          const env = fromJournal(JSON.parse(line), 'journald-json');
          if (env) return env;
        } catch {
          // Not valid JSON: fall through to bare, the format layer reports it.
        }
      }
      if (c === 95 /* _ */ && line.startsWith('__CURSOR=')) {
        journal = { __CURSOR: line.slice(9) };
        journalStart = lineNo;
        return PENDING;
      }
      let body = line;
      let envId: Envelope['envelope'] | null = null;
      if (c === 60 /* < */) {
        const close = line.indexOf('>');
        if (close > 1 && close <= 4) {
          body = line.slice(close + 1);
          // Cisco Meraki writes `<PRI>1 <epoch.ns> <device> <type> ...`: a version digit, then no RFC 5424
          // header at all. Hand the rest to the format as it is (its own epoch stamp included).
          if (/^1 \d{9,10}\.\d+ /.test(body)) body = body.slice(2);
          else if (body.startsWith('1 ')) {
            const env = parseRfc5424(body.slice(2), ctx);
            if (env) return unwrapRelays(env, ctx);
          }
          envId = 'rfc3164';
        }
      }
      const b = body.charCodeAt(0);
      if (b >= 48 && b <= 57 /* digit: ISO stamp */) {
        const stamp = readIsoStamp(body, ctx);
        if (stamp && body.charCodeAt(stamp.length) === 32) {
          const env = splitHostTag(body.slice(stamp.length + 1), stamped(envId ?? 'iso-syslog', stamp, body));
          return unwrapRelays(env, ctx);
        }
        const pve = parsePveFirewall(body, ctx);
        if (pve) return pve;
      } else if (b >= 65 && b <= 90 /* capital: BSD month */) {
        const text = body.slice(0, 15);
        let stamp: StampRead | null;
        // The cache holds whole-second stamps only: stamps with a fraction share their first 15 characters.
        if (
          text === lastStampText &&
          lastStamp !== null &&
          lastStamp.length <= 15 &&
          body.charCodeAt(lastStamp.length) !== 46
        )
          stamp = lastStamp;
        else {
          stamp = readBsdStamp(body, ctx);
          lastStampText = text;
          lastStamp = stamp;
        }
        if (stamp && body.charCodeAt(stamp.length) === 32) {
          const env = splitHostTag(body.slice(stamp.length + 1), stamped('rfc3164', stamp, body));
          return unwrapRelays(env, ctx);
        }
      } else if (b === 91 /* [ */) {
        const close = body.indexOf(']');
        if (close > 0) {
          const inside = body.slice(1, close);
          const t = parseCtimeStamp(inside, ctx);
          if (t !== null)
            return { envelope: 'dmesg-ctime', message: body.slice(close + 1).trimStart(), timestamp: t };
          const up = UPTIME_RE.exec(body);
          if (up) {
            const env: Envelope = { envelope: 'dmesg', message: body.slice(up[0].length) };
            if (ctx.bootTime !== undefined) env.timestamp = ctx.bootTime + Math.round(Number(up[1]) * 1000);
            return env;
          }
        }
      }
      return { envelope: envId ?? 'bare', message: body };
    },
    flush() {
      if (journal === null) return null;
      const rec = journal;
      journal = null;
      reader.recordStartLine = journalStart;
      return fromJournal(rec, 'journald-export');
    },
  };
  return reader;
}

// macOS application firewall (socketfilterfw, `Firewall` before 10.6) records of /var/log/appfirewall.log:
// `socketfilterfw[123] <Info>: Deny Spotify data in from 198.51.100.7:57621`, `Stealth Mode connection attempt to
// TCP 192.0.2.5:22 from 203.0.113.9:53421`, `Allow cupsd connecting from A:p to port 631 proto=6`; per-application
// listen/connect summaries and logging notices are counted as non-traffic.
import type { EventAction, FwEvent } from '../event.js';
import { OBSERVER_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { flowEvent } from './flow-record.js';
import { observedFromEnvelope } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseError, ParseResult, RecordParser } from './types.js';

const FORMAT_ID = 'macos-socketfilterfw';

/** `socketfilterfw[123] <Info>: ` (or `Firewall[113]:`) when the syslog tag was not split off by the envelope. */
const TAG_RE = /^(socketfilterfw|Firewall)(?:\[\d{1,10}\])?(?: <[A-Za-z]{1,12}>)?: /;

/** Per-application summaries: `Dropbox: Allow TCP LISTEN  (in:0 out:1)`, `Skype: Allow TCP CONNECT (in:1 out:0)`. */
const SUMMARY_RE = /: (?:Allow|Deny) (?:TCP|UDP) [A-Z]{3,10} +\(in:\d+ out:\d+\)$/;

/** `198.51.100.7:57621`, `2001:db8::7:57621`, `[2001:db8::7]:57621`: address and port (after the last colon). */
function endpoint(text: string): { ip: string; port?: string } {
  const t = text.replace(/[[\]]/g, '').replace(/[.,]$/, '');
  const colon = t.lastIndexOf(':');
  if (colon < 0) return { ip: t };
  return { ip: t.slice(0, colon), port: t.slice(colon + 1) };
}

function verdict(word: string): EventAction | undefined {
  return word === 'Allow' ? 'allow' : word === 'Deny' ? 'deny' : undefined;
}

/** The text after the tag: an event, an error, a non-traffic kind, or null for text that is not a record. */
function readRecord(text: string): FwEvent | ParseError | { skip: string } {
  if (text.startsWith('Stealth Mode connection attempt to ')) {
    // `Stealth Mode connection attempt to TCP B:p from A:p`: the probe got no answer at all.
    const words = text.slice(35).split(' ', 5);
    if (words.length < 4 || words[2] !== 'from') return damaged('parse.macos.stealth');
    const dst = endpoint(words[1]!);
    const src = endpoint(words[3]!);
    return flowEvent(FORMAT_ID, 'deny', 'inbound', {
      sourceIp: src.ip,
      sourcePort: src.port,
      destinationIp: dst.ip,
      destinationPort: dst.port,
      protocol: words[0],
    });
  }
  const action = verdict(text.slice(0, text.indexOf(' ')));
  if (action !== undefined) {
    // `Deny <app> data in from A:p` / `Allow <app> receive from A:p`: the application name may hold blanks.
    const dataIn = Math.max(text.lastIndexOf(' data in from '), text.lastIndexOf(' receive from '));
    if (dataIn > 0) {
      const from = text.indexOf(' from ', dataIn) + 6;
      const src = endpoint(text.slice(from).split(' ', 1)[0]!);
      const ev = flowEvent(FORMAT_ID, action, 'inbound', { sourceIp: src.ip, sourcePort: src.port });
      if ('error' in ev) return ev;
      ev.ruleName = text.slice(text.indexOf(' ') + 1, dataIn);
      return ev;
    }
    // `Deny <app> connecting from A:p to port N proto=P`.
    const connecting = text.lastIndexOf(' connecting from ');
    if (connecting > 0) {
      const m = /^(\S+) to port (\d{1,5}) proto=(\d{1,3})/.exec(text.slice(connecting + 17));
      if (!m) return damaged('parse.macos.connecting');
      const src = endpoint(m[1]!);
      const ev = flowEvent(FORMAT_ID, action, 'inbound', {
        sourceIp: src.ip,
        sourcePort: src.port,
        destinationPort: m[2],
        protocol: m[3],
      });
      if ('error' in ev) return ev;
      ev.ruleName = text.slice(text.indexOf(' ') + 1, connecting);
      return ev;
    }
    // `Deny <app> listening from 0.0.0.0:8080 proto=6`: an application asked to listen, no packet yet.
    if (text.includes(' listening from ')) return { skip: 'socket operation' };
  }
  if (SUMMARY_RE.test(text)) return { skip: 'socket operation' };
  if (text.startsWith('Logging: ')) return { skip: 'system event' };
  return { skip: 'not understood: socketfilterfw' };
}

function parse(env: Envelope): ParseResult {
  let text = env.message;
  if (env.program !== 'socketfilterfw' && env.program !== 'Firewall') {
    const tag = TAG_RE.exec(text);
    if (!tag) {
      // syslogd's repeat notice belongs to whatever the stream is: it is counted only inside a socketfilterfw stream.
      return /^last message repeated \d+ times?/.test(text) || /^--- last message repeated/.test(text)
        ? { skip: 'repeat notice' }
        : null;
    }
    text = text.slice(tag[0].length);
  }
  const result = readRecord(text);
  // `Firewall` is a common tag: under it only the records this module knows are claimed.
  if (env.program === 'Firewall' && 'skip' in result && result.skip.startsWith('not understood')) return null;
  if ('skip' in result || 'error' in result) return result;
  return observedFromEnvelope(result, env, 'macos application firewall');
}

/** macOS application firewall log (appfirewall.log). */
export const macosSocketfilterfw: LogFormat = {
  id: FORMAT_ID,
  label: 'macOS application firewall',
  description:
    'macOS application firewall (socketfilterfw) records of /var/log/appfirewall.log: denied and allowed incoming data per application, stealth-mode probes, connections to a port; per-application listen/connect summaries are counted as non-traffic.',
  example: 'socketfilterfw[123] <Info>: Deny Spotify data in from 198.51.100.7:57621',
  fields: [...TRAFFIC_FIELDS, 'ruleName', ...OBSERVER_FIELDS],
  detect(message: string, env: Envelope): number {
    if (env.program === 'socketfilterfw') return 0.9;
    if (env.program === 'Firewall') return message.startsWith('Stealth Mode connection attempt') ? 0.9 : 0;
    return TAG_RE.test(message) ? 0.9 : 0;
  },
  createParser(): RecordParser {
    return parse;
  },
};

// One connection is one attempt: the records a firewall writes twice for the same connection or packet (a session
// log's opening and closing records, a logging rule's copy of a packet its deciding rule logs again) reach the
// detectors once. Decided in input order, before the records are split among source shards, on event time.
import type { FwEvent } from '../event.js';
import { BoundedCache } from '../util/bounded-cache.js';

/**
 * Bound on connections remembered between their start and end records (two generations of half this; the
 * oldest generation is forgotten whole). A forgotten start only means its end is counted as the connection.
 */
export const MAX_OPEN_CONNECTIONS = 65_536;
/**
 * How long (ms of event time) a connection's start is remembered for its end record. Longer than any idle
 * timeout (ASA TCP 1 h, SRX 30 min) so long sessions still pair; short enough that a reused connection number
 * or 5-tuple days later is a new connection.
 */
export const CONNECTION_MEMORY_MS = 24 * 3600_000;
/**
 * Largest gap (ms of event time) between a packet logged without a decision (ufw's `[UFW AUDIT]`) and the
 * deciding rule's record of the same packet (`[UFW ALLOW]`, `[UFW BLOCK]`); the kernel writes them microseconds apart.
 */
export const SAME_PACKET_MS = 1000;

/**
 * Longest connection key remembered (format, device, both ends, the firewall's number: ~60-120 characters on
 * real logs). A device name or connection number written to fill a line would make each of the
 * MAX_OPEN_CONNECTIONS keys kilobytes long; such a record counts as a connection of its own, unremembered.
 */
export const MAX_CONNECTION_KEY_CHARS = 256;

/** What is remembered of a connection: when its last record came, and its starts not yet ended. */
interface OpenConnection {
  time: number;
  open: number;
}

/**
 * The key both records of one connection share: its format and device, transport, both ends in a fixed order
 * (an ASA Teardown names the ends in the order of its Built message, not initiator first) and the firewall's
 * number for the connection when it has one.
 */
function connectionKey(ev: FwEvent): string {
  const a = `${ev.sourceIp ?? ''}/${ev.sourcePort ?? ''}`;
  const b = `${ev.destinationIp ?? ''}/${ev.destinationPort ?? ''}`;
  const ends = a < b ? `${a}|${b}` : `${b}|${a}`;
  return `${ev.format}|${ev.observerHost ?? ''}|${ev.transport ?? ev.ianaNumber ?? ''}|${ends}|${ev.sessionId ?? ''}`;
}

/** Start records remembered so their end records are not counted as new connections. */
export class ConnectionMemory {
  private readonly connections = new BoundedCache<string, OpenConnection>(MAX_OPEN_CONNECTIONS / 2);
  /** Records left out because their connection was already counted. */
  repeats = 0;

  /**
   * True when the record counts as a connection for the detectors: a packet (no phase), a whole connection, a
   * start, or a continuing or end record whose start was not seen (the log began mid-session, or the start was
   * forgotten). With a connection number, any later record of a connection already counted (its end, an AppTrack
   * copy) is a repeat; without one, each end takes back one start of the same 5-tuple, and a continuing record of
   * an open 5-tuple is a repeat.
   */
  counts(ev: FwEvent, time: number): boolean {
    const phase = ev.connectionPhase;
    if (phase === undefined || phase === 'whole') return true;
    const key = connectionKey(ev);
    if (key.length > MAX_CONNECTION_KEY_CHARS) return true;
    const seen = this.connections.get(key);
    // Time may go back (an older log read after a newer one): a record that far before the last one is another
    // connection too, and the last time stays the latest.
    const fresh = seen !== undefined && Math.abs(time - seen.time) <= CONNECTION_MEMORY_MS ? seen : undefined;
    if (ev.sessionId !== undefined) {
      if (fresh && (phase === 'end' || fresh.open > 0)) {
        fresh.time = Math.max(fresh.time, time);
        if (phase === 'end') fresh.open = 0;
        this.repeats++;
        return false;
      }
      // An end seen first is remembered closed, so a second end record of it is a repeat too.
      this.connections.set(key, { time, open: phase === 'end' ? 0 : 1 });
      return true;
    }
    if (phase === 'continue') {
      if (fresh && fresh.open > 0) {
        fresh.time = Math.max(fresh.time, time);
        this.repeats++;
        return false;
      }
      // A flow first seen while it lasts counts once and stays open, so its next minutes and its end are repeats.
      if (fresh) {
        fresh.open = 1;
        fresh.time = Math.max(fresh.time, time);
      } else this.connections.set(key, { time, open: 1 });
      return true;
    }
    if (phase === 'start') {
      if (fresh) {
        fresh.open++;
        fresh.time = Math.max(fresh.time, time);
      } else this.connections.set(key, { time, open: 1 });
      return true;
    }
    if (fresh && fresh.open > 0) {
      fresh.open--;
      this.repeats++;
      return false;
    }
    return true;
  }

  /** Entries held (for memory checks). */
  get size(): number {
    return this.connections.size;
  }
}

/**
 * True for a record that may be a logging rule's copy of a packet a deciding rule logs next: no decision
 * (`log`), a whole packet (not a session record), its IP header logged (length and TTL).
 */
export function mayBeLoggedCopy(ev: FwEvent): boolean {
  return (
    ev.action === 'log' &&
    ev.connectionPhase === undefined &&
    ev.length !== undefined &&
    ev.ttl !== undefined &&
    ev.sourceIp !== undefined &&
    ev.destinationIp !== undefined
  );
}

/**
 * True when `next`, a record with a decision, logs the same packet as `copy` (a `mayBeLoggedCopy` record just
 * before it): same format, device, interfaces, addresses, ports, IP header (length, TTL, IP id, flow label)
 * and TCP sequence or ICMP id/sequence, within SAME_PACKET_MS.
 */
export function samePacketDecided(copy: FwEvent, next: FwEvent): boolean {
  if (next.action === 'log') return false;
  if (
    copy.sourceIp !== next.sourceIp ||
    copy.destinationIp !== next.destinationIp ||
    copy.sourcePort !== next.sourcePort ||
    copy.destinationPort !== next.destinationPort ||
    copy.transport !== next.transport ||
    copy.length !== next.length ||
    copy.ttl !== next.ttl ||
    copy.ipId !== next.ipId ||
    copy.flowLabel !== next.flowLabel ||
    copy.tcpSeq !== next.tcpSeq ||
    copy.icmpId !== next.icmpId ||
    copy.icmpSeq !== next.icmpSeq ||
    copy.format !== next.format ||
    copy.observerHost !== next.observerHost ||
    copy.inInterface !== next.inInterface ||
    copy.outInterface !== next.outInterface
  )
    return false;
  if (copy.timestamp === undefined || next.timestamp === undefined) return copy.timestamp === next.timestamp;
  return Math.abs(next.timestamp - copy.timestamp) <= SAME_PACKET_MS;
}

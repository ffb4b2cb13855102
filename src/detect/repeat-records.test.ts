// The engine's memory of records it already counted: session start/end pairs and logged copies of one packet.
import { describe, expect, it } from 'vitest';
import type { ConnectionPhase, FwEvent } from '../event.js';
import {
  CONNECTION_MEMORY_MS,
  ConnectionMemory,
  MAX_CONNECTION_KEY_CHARS,
  MAX_OPEN_CONNECTIONS,
  mayBeLoggedCopy,
  SAME_PACKET_MS,
  samePacketDecided,
} from './repeat-records.js';

function session(phase: ConnectionPhase, id: string | undefined, sport = 40000): FwEvent {
  return {
    format: 'juniper-srx',
    action: 'allow',
    direction: 'unknown',
    transport: 'udp',
    sourceIp: '203.0.113.66',
    sourcePort: sport,
    destinationIp: '192.0.2.10',
    destinationPort: 5060,
    observerHost: 'srx-edge',
    connectionPhase: phase,
    ...(id === undefined ? {} : { sessionId: id }),
  };
}

describe('ConnectionMemory', () => {
  it('counts a numbered session once, whatever records it has (create, AppTrack create, close, AppTrack close)', () => {
    const m = new ConnectionMemory();
    expect(m.counts(session('start', '7'), 0)).toBe(true);
    expect(m.counts(session('start', '7'), 1)).toBe(false);
    expect(m.counts(session('end', '7'), 60_000)).toBe(false);
    expect(m.counts(session('end', '7'), 60_001)).toBe(false);
    expect(m.repeats).toBe(3);
  });

  it('counts records more than the memory apart as two connections when time goes back too', () => {
    // An Azure-like flow read newest first: B a day and more after C, E a day and more before C.
    const m = new ConnectionMemory();
    const day = CONNECTION_MEMORY_MS;
    expect(m.counts(session('start', undefined), 2 * day + 10)).toBe(true);
    expect(m.counts(session('continue', undefined), day)).toBe(true);
    expect(m.counts(session('end', undefined), day - 5)).toBe(false);
    expect(m.counts(session('end', undefined), -10)).toBe(true);
    // Within the memory, going back is the same connection, and its last time does not move back.
    const n = new ConnectionMemory();
    expect(n.counts(session('start', '9'), 50_000)).toBe(true);
    expect(n.counts(session('end', '9'), 40_000)).toBe(false);
    expect(n.counts(session('end', '9'), 50_000 + day)).toBe(false);
  });

  it('counts an end whose start it never saw, once', () => {
    const m = new ConnectionMemory();
    expect(m.counts(session('end', '8'), 0)).toBe(true);
    expect(m.counts(session('end', '8'), 5)).toBe(false);
  });

  it('without numbers, each end takes back one start of the same ends, in either order', () => {
    const m = new ConnectionMemory();
    const start = session('start', undefined);
    const reversed: FwEvent = {
      ...session('end', undefined),
      sourceIp: '192.0.2.10',
      sourcePort: 5060,
      destinationIp: '203.0.113.66',
      destinationPort: 40000,
    };
    expect(m.counts(start, 0)).toBe(true);
    expect(m.counts(start, 1)).toBe(true);
    expect(m.counts(reversed, 2)).toBe(false);
    expect(m.counts(reversed, 3)).toBe(false);
    expect(m.counts(reversed, 4)).toBe(true);
  });

  it('counts a flow logged at its beginning, every minute it lasts and its end (Azure B, C, E) once', () => {
    const m = new ConnectionMemory();
    expect(m.counts(session('start', undefined), 0)).toBe(true);
    expect(m.counts(session('continue', undefined), 60_000)).toBe(false);
    expect(m.counts(session('continue', undefined), 120_000)).toBe(false);
    expect(m.counts(session('end', undefined), 150_000)).toBe(false);
    // The same ends again later are a new flow.
    expect(m.counts(session('start', undefined), 200_000)).toBe(true);
  });

  it('counts a flow first seen while it lasts once, and its end with it', () => {
    const m = new ConnectionMemory();
    expect(m.counts(session('continue', undefined), 0)).toBe(true);
    expect(m.counts(session('continue', undefined), 60_000)).toBe(false);
    expect(m.counts(session('end', undefined), 90_000)).toBe(false);
    expect(m.counts(session('end', undefined), 91_000)).toBe(true);
  });

  it('forgets a start after CONNECTION_MEMORY_MS of event time', () => {
    const m = new ConnectionMemory();
    expect(m.counts(session('start', '9'), 0)).toBe(true);
    expect(m.counts(session('end', '9'), CONNECTION_MEMORY_MS + 1)).toBe(true);
  });

  it('stays bounded however many sessions a hostile log opens', () => {
    const m = new ConnectionMemory();
    for (let i = 0; i < 300_000; i++) m.counts(session('start', String(i), 1024 + (i % 60000)), i);
    expect(m.size).toBeLessThanOrEqual(MAX_OPEN_CONNECTIONS);
    // The newest are still paired.
    expect(m.counts(session('end', '299999', 1024 + (299_999 % 60000)), 300_000)).toBe(false);
  });

  it('does not remember a connection whose device name or number fills the line: it counts, and holds no kilobytes', () => {
    const m = new ConnectionMemory();
    const long = { ...session('start', '1'.repeat(10_000)) };
    const host = { ...session('start', '2'), observerHost: 'h'.repeat(MAX_CONNECTION_KEY_CHARS) };
    expect(m.counts(long, 0)).toBe(true);
    expect(m.counts({ ...long, connectionPhase: 'end' }, 1)).toBe(true);
    expect(m.counts(host, 2)).toBe(true);
    expect(m.size).toBe(0);
    // A real one is still paired.
    expect(m.counts(session('start', '3'), 3)).toBe(true);
    expect(m.counts(session('end', '3'), 4)).toBe(false);
  });
});

describe('logged copies', () => {
  const audit: FwEvent = {
    format: 'netfilter',
    action: 'log',
    direction: 'inbound',
    timestamp: 1_000,
    transport: 'tcp',
    sourceIp: '203.0.113.66',
    sourcePort: 44000,
    destinationIp: '192.0.2.10',
    destinationPort: 22,
    length: 60,
    ttl: 51,
    ipId: 30000,
    prefix: '[UFW AUDIT]',
    ruleName: 'UFW AUDIT',
  };
  const allow: FwEvent = { ...audit, action: 'allow', prefix: '[UFW ALLOW]', ruleName: 'UFW ALLOW' };

  it('takes a logged-only packet record, not a decision or a session record', () => {
    expect(mayBeLoggedCopy(audit)).toBe(true);
    expect(mayBeLoggedCopy(allow)).toBe(false);
    expect(mayBeLoggedCopy({ ...audit, connectionPhase: 'end' })).toBe(false);
    // No IP header logged (a session log's record): not known to be one packet.
    expect(mayBeLoggedCopy({ ...audit, ttl: undefined })).toBe(false);
  });

  it('matches the decision of the same packet only', () => {
    expect(samePacketDecided(audit, allow)).toBe(true);
    expect(samePacketDecided(audit, { ...allow, ipId: 30001 })).toBe(false);
    expect(samePacketDecided(audit, { ...allow, timestamp: 1_000 + SAME_PACKET_MS + 1 })).toBe(false);
    expect(samePacketDecided(audit, { ...audit, prefix: '[UFW AUDIT INVALID]' })).toBe(false);
  });
});

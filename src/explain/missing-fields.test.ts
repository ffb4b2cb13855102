// Formats without TTL (Windows Firewall, flow logs) get an explanation that says what it cannot tell.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { knowledgeBase } from '../knowledge/index.js';
import { explainEvent } from './index.js';

const kb = knowledgeBase();

function ttlLines(line: string): string[] {
  const ev = parseOneLine(line) as FwEvent;
  expect(ev.sourceIp).toBeDefined();
  return (explainEvent(ev, kb).sections.find((s) => s.topic === 'ttl')?.lines ?? []).map((l) => l.en);
}

describe('explanations of events that lack fields', () => {
  it('a Windows Firewall line (no TTL field) says the TTL is not recorded', () => {
    const lines = ttlLines(
      '2026-11-25 16:46:39 DROP TCP 203.0.113.5 192.0.2.10 4711 31337 60 S 12345 0 64240 - - - RECEIVE',
    );
    expect(lines.join(' ')).toMatch(/does not record the TTL/);
  });

  it('a netfilter line with TTL gets the hop-count guess instead', () => {
    const lines = ttlLines(
      'Nov 25 16:47:51 vm kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1000 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0 ',
    );
    expect(lines.join(' ')).not.toMatch(/does not record/);
    expect(lines.join(' ')).toMatch(/TTL 50: probably started at 60/);
  });
});

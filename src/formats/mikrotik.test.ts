// Tests of the RouterOS module on the forms a firewall line reaches fwlens in: print stamps, headers that took its parts.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { makeContext } from './envelope/time.js';
import { mikrotik } from './mikrotik.js';
import type { Envelope } from './types.js';

const CTX = makeContext(Date.UTC(2026, 11, 31), { year: 2026 });
const LINE = 'input: in:ether1 out:(unknown 0), proto TCP (SYN), 203.0.113.9:51237->192.0.2.1:3389, len 60';
const parse = (env: Envelope) => mikrotik.createParser(CTX)(env) as FwEvent;

describe('mikrotik line forms', () => {
  it('reads the time of a /log print stamp, with or without its year, and none from a time of day alone', () => {
    const at = (message: string) => parse({ envelope: 'bare', message }).timestamp;
    expect(at(`nov/24/2025 10:20:11 firewall,info ${LINE}`)).toBe(Date.UTC(2025, 10, 24, 10, 20, 11));
    expect(at(`nov/24 10:20:11 firewall,info ${LINE}`)).toBe(Date.UTC(2026, 10, 24, 10, 20, 11));
    expect(at(`2026-11-24 10:20:11 firewall,info ${LINE}`)).toBe(Date.UTC(2026, 10, 24, 10, 20, 11));
    expect(at(`10:20:11 firewall,info ${LINE}`)).toBeUndefined();
  });

  it('puts back a chain a syslog header read as its program, and topics it read as its host', () => {
    const message = LINE.slice(LINE.indexOf('in:'));
    const env: Envelope = { envelope: 'rfc3164', message, program: 'input', host: 'firewall,info' };
    expect(mikrotik.detect(message, env)).toBeGreaterThan(0);
    const ev = parse(env);
    expect(ev).toMatchObject({ direction: 'inbound', sourceIp: '203.0.113.9', destinationPort: 3389 });
    expect(ev.observerHost).toBeUndefined();
    // A line starting `in:` without a chain for a program is not RouterOS's.
    expect(mikrotik.createParser(CTX)({ envelope: 'bare', message })).toBeNull();
  });
});

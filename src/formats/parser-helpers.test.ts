// Tests of the helpers format modules share: stateless createParser and the envelope's time/host on an event.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { makeContext } from './envelope/time.js';
import { observedFromEnvelope, statelessParser } from './parser-helpers.js';
import type { Envelope, ParseContext } from './types.js';

const bare = (): FwEvent => ({ format: 'test', action: 'deny', direction: 'inbound' });

describe('observedFromEnvelope', () => {
  it('takes the envelope time and host, then the product', () => {
    const env: Envelope = { envelope: 'rfc3164', message: 'x', timestamp: 1_700_000_000_000, host: 'gw1' };
    const ev = observedFromEnvelope(bare(), env, 'pf');
    expect(ev).toEqual({
      ...bare(),
      timestamp: 1_700_000_000_000,
      observerHost: 'gw1',
      observerProduct: 'pf',
    });
  });

  it("prefers the record's own time and leaves out what the envelope lacks", () => {
    const ev = observedFromEnvelope(bare(), { envelope: 'bare', message: 'x' }, undefined, 42);
    expect(ev).toEqual({ ...bare(), timestamp: 42 });
    expect('observerHost' in ev || 'observerProduct' in ev).toBe(false);
  });

  it('falls back to the envelope time when the record has none', () => {
    const env: Envelope = { envelope: 'rfc3164', message: 'x', timestamp: 7 };
    expect(observedFromEnvelope(bare(), env, 'ipfw', undefined).timestamp).toBe(7);
  });
});

describe('statelessParser', () => {
  it('hands each envelope and the run context to the parse function', () => {
    const ctx = makeContext(Date.UTC(2026, 0, 1), { year: 2026 });
    const seen: [string, ParseContext][] = [];
    const parser = statelessParser((env, c) => {
      seen.push([env.message, c]);
      return null;
    })(ctx);
    parser({ envelope: 'bare', message: 'one' });
    parser({ envelope: 'bare', message: 'two' });
    expect(seen.map(([m]) => m)).toEqual(['one', 'two']);
    expect(seen.every(([, c]) => c === ctx)).toBe(true);
  });
});

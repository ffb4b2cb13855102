// Hop count and operating-system family guessed from the arriving TTL (IPv6: hop limit).

import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { TtlEntry } from '../knowledge/schema.js';
import type { Draft } from './draft.js';

/** Initial TTLs in common use, for when data/ttl.yaml is missing. */
export const FALLBACK_INITIAL_TTLS: readonly number[] = [32, 64, 128, 255];

/** The nearest common initial TTL at or above the observed one, and the hops travelled. */
export function guessInitialTtl(
  ttl: number,
  initials: readonly number[],
): { initial: number; hops: number } | undefined {
  let best: number | undefined;
  for (const i of initials) if (i >= ttl && (best === undefined || i < best)) best = i;
  return best === undefined ? undefined : { initial: best, hops: best - ttl };
}

/** The common initial TTLs: data/ttl.yaml's, or FALLBACK_INITIAL_TTLS when it is missing (the one table every caller reads). */
export function initialTtls(kb: KnowledgeBase): readonly number[] {
  const table = kb.ttlTable();
  return table.length ? table.map((e) => e.initial) : FALLBACK_INITIAL_TTLS;
}

/** Hops by arriving TTL (0-255), -1 where no initial TTL is at or above it; one table per knowledge base. */
const hopTables = new WeakMap<KnowledgeBase, Int16Array>();

/**
 * Hops travelled by a packet arriving with `ttl` (`guessInitialTtl(ttl, initialTtls(kb))?.hops`), from a
 * table built once per knowledge base: the detectors ask it for every packet.
 */
export function hopsFromTtl(ttl: number, kb: KnowledgeBase): number | undefined {
  let table = hopTables.get(kb);
  if (!table) {
    table = new Int16Array(256);
    const initials = initialTtls(kb);
    for (let t = 0; t < 256; t++) table[t] = guessInitialTtl(t, initials)?.hops ?? -1;
    hopTables.set(kb, table);
  }
  const hops = ttl >= 0 && ttl <= 255 && Number.isInteger(ttl) ? table[ttl]! : -1;
  return hops < 0 ? guessInitialTtl(ttl, initialTtls(kb))?.hops : hops;
}

/** Explain the TTL of an event: hop count and OS family. */
export function explainTtl(ev: FwEvent, kb: KnowledgeBase, draft: Draft): void {
  // Text only: the TTL does not move the score, so a score-only draft skips it.
  if (!draft.rendering) return;
  if (ev.ttl === undefined) {
    // Say what could not be told (flow logs, Windows Firewall, most appliance logs carry no TTL).
    if (ev.ipVersion !== undefined || ev.sourceIp !== undefined) draft.say('ttl', 'explain.ttl.absent');
    return;
  }
  const table: readonly TtlEntry[] = kb.ttlTable();
  const guess = guessInitialTtl(ev.ttl, initialTtls(kb));
  // "TTL" is the field's name in both languages; IPv6 calls it the hop limit.
  const vars = { field: ev.ipVersion === 6 ? draft.text('explain.ttl.field.hopLimit') : 'TTL', ttl: ev.ttl };
  if (!guess) {
    draft.say('ttl', 'explain.ttl.noGuess', vars, 'general');
    return;
  }
  const entry = table.find((e) => e.initial === guess.initial);
  const systems = entry?.systems;
  const source = entry?.facts[0]?.source ?? 'general';
  if (ev.direction === 'outbound' && guess.hops === 0) {
    draft.say(
      'ttl',
      systems ? 'explain.ttl.ownWithOs' : 'explain.ttl.own',
      { ...vars, initial: guess.initial, ...(systems ? { systems } : {}) },
      source,
    );
    return;
  }
  draft.say(
    'ttl',
    systems ? 'explain.ttl.guessWithOs' : 'explain.ttl.guess',
    { ...vars, initial: guess.initial, hops: guess.hops, ...(systems ? { systems } : {}) },
    source,
  );
  draft.say('ttl', 'explain.ttl.caveat');
}

// Small pieces many format modules share: the createParser of a stateless format, and the envelope's
// time and host put on an event whose record carries neither.
import type { FwEvent } from '../event.js';
import type { Envelope, ParseContext, RecordParser, RecordResult } from './types.js';

/**
 * The `createParser` of a format that keeps no state between records: every envelope is handed to
 * `parse` together with the run's context.
 */
export function statelessParser(
  parse: (env: Envelope, ctx: ParseContext) => RecordResult,
): (ctx: ParseContext) => RecordParser {
  return (ctx) => (env) => parse(env, ctx);
}

/**
 * Finish an event from the envelope it came in: the time (the record's own `time` when it carries one,
 * else the envelope's stamp), the envelope's host as the observer, then the product when given.
 * Returns the same event.
 */
export function observedFromEnvelope(
  ev: FwEvent,
  env: Envelope,
  product?: string,
  time: number | undefined = env.timestamp,
): FwEvent {
  if (time !== undefined) ev.timestamp = time;
  if (env.host !== undefined) ev.observerHost = env.host;
  if (product !== undefined) ev.observerProduct = product;
  return ev;
}

// Which end of an event is the other party whose owner matters: the destination of outbound traffic, else the source.
import type { FwEvent } from '../event.js';

/** The far end of an event: destination when it left one of our hosts, source otherwise. */
export function remoteAddress(
  ev: Pick<FwEvent, 'direction' | 'sourceIp' | 'destinationIp'>,
): string | undefined {
  return ev.direction === 'outbound' ? ev.destinationIp : ev.sourceIp;
}

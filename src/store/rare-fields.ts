// The rare fields of an event as the stores keep them since schema 3: the alarm name in a column of its own,
// the others (quoted ICMP packet, MTU, UID/GID/MARK ...) as JSON in `extra`.
import type { RareFields } from '../core/batch.js';

/** A row's rare fields split for the columns: `extra` JSON (undefined when nothing is left) and the alarm name. */
export interface SplitRare {
  extra: string | undefined;
  alarm: string | undefined;
}

/** Split the rare fields of one row (call it only for rows that have some: most have none). */
export function splitRare(rare: RareFields): SplitRare {
  const { alarmName, ...others } = rare;
  return {
    extra: Object.keys(others).length > 0 ? JSON.stringify(others) : undefined,
    alarm: alarmName,
  };
}

// The rare fields of an event as the stores keep them: the alarm name (since schema 3) and the traffic counts
// (since schema 8) in columns of their own, the others (quoted ICMP packet, MTU, UID/GID/MARK ...) as JSON in `extra`.
import type { RareFields } from '../core/batch.js';

/** The traffic counts, each with a column of its own (schema 8), in the columns' order. */
export const TRAFFIC_COUNT_KEYS = [
  'sourcePackets',
  'sourceBytes',
  'destinationPackets',
  'destinationBytes',
  'networkBytes',
] as const;

/** The store columns of TRAFFIC_COUNT_KEYS, in the same order. */
export const TRAFFIC_COUNT_COLUMNS = [
  'src_packets',
  'src_bytes',
  'dst_packets',
  'dst_bytes',
  'total_bytes',
] as const;

/** A row's rare fields split for the columns: `extra` JSON (undefined when nothing is left) and the alarm name. */
export interface SplitRare {
  extra: string | undefined;
  alarm: string | undefined;
}

/**
 * Split the rare fields of one row (call it only for rows that have some: most have none). The traffic counts
 * are left out of both: their columns read them from the row's rare fields themselves.
 */
export function splitRare(rare: RareFields): SplitRare {
  const {
    alarmName,
    sourcePackets,
    sourceBytes,
    destinationPackets,
    destinationBytes,
    networkBytes,
    ...others
  } = rare;
  return {
    extra: Object.keys(others).length > 0 ? JSON.stringify(others) : undefined,
    alarm: alarmName,
  };
}

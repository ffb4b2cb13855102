// Which shard a source address belongs to: the same answer in every thread, for every run.
import { hash32 } from './hash.js';

/** Shard of an address among `count` shards (events without a source go to shard 0). */
export function shardOf(ip: string | undefined, count: number): number {
  if (count <= 1 || ip === undefined) return 0;
  return hash32(ip) % count;
}

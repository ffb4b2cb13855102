// File identity, one owner for `ingest` and `watch`: dev/inode plus a hash of the file's first bytes.
import { createHash } from 'node:crypto';

/** Bytes of a file's start hashed into its fingerprint (a rotated or renamed file keeps them). */
export const FINGERPRINT_BYTES = 1024;

/** Fingerprint of a file's first bytes (at most FINGERPRINT_BYTES of them): hex SHA-256. */
export function fingerprintOf(head: Uint8Array): string {
  return createHash('sha256').update(head).digest('hex');
}

/**
 * True when `head` has the fingerprint `fp`. Watch checkpoints written before watch and the store shared
 * this function hold 16 hex characters (SHA-1 of the first 256 bytes): they are still recognised, so an
 * upgrade neither re-reads nor skips a followed file.
 */
export function headMatches(head: Uint8Array, fp: string): boolean {
  if (fp.length === 16) return createHash('sha1').update(head).digest('hex').slice(0, 16) === fp;
  return fingerprintOf(head) === fp;
}

// ASA/FTD message ids that carry no packet, by family, named for the non-traffic count; any other id without
// a layout is counted as "not understood" with its id, so a user sees which ids a future version should learn.
import { ownValue } from '../../util/own.js';

/** Single ids whose kind differs from their family's. */
const BY_ID: Record<string, string> = {
  '106101': 'ACL deny-flow cache',
  '106024': 'ACL deny-flow cache',
  '302010': 'connection table',
  '302004': 'pre-allocated connection',
  '302012': 'pre-allocated connection',
  '302033': 'pre-allocated connection',
  '302034': 'pre-allocated connection',
  '305009': 'NAT translation',
  '305010': 'NAT translation',
  '305011': 'NAT translation',
  '305012': 'NAT translation',
  '305014': 'NAT translation',
  '305007': 'NAT translation',
  '305008': 'NAT translation',
  '609001': 'connection table',
  '609002': 'connection table',
  '733102': 'threat-detection shun list',
  '733103': 'threat-detection shun list',
};

/**
 * Families by the first three digits of the id (Cisco numbers messages by feature): failover and system
 * (104, 105, 199, 201, 321, 405, 411, 604, 711), configuration (111, 502, 505), authentication (109, 113, 315,
 * 605, 611), FTP file transfers (303), VPN and
 * SSL sessions (402, 602, 713, 715, 716, 722, 725, 734, 737, 750, 751), threat-detection summaries (733).
 */
const BY_FAMILY: Record<string, string> = {
  '104': 'system event',
  '105': 'system event',
  '199': 'system event',
  '321': 'system event',
  '411': 'system event',
  '201': 'system event',
  '405': 'system event',
  '604': 'system event',
  '711': 'system event',
  '303': 'FTP file transfer',
  '315': 'authentication',
  '111': 'configuration',
  '502': 'configuration',
  '505': 'configuration',
  '109': 'authentication',
  '113': 'authentication',
  '605': 'authentication',
  '611': 'authentication',
  '402': 'VPN session',
  '602': 'VPN session',
  '713': 'VPN session',
  '715': 'VPN session',
  '716': 'VPN session',
  '722': 'VPN session',
  '725': 'VPN session',
  '734': 'VPN session',
  '737': 'VPN session',
  '750': 'VPN session',
  '751': 'VPN session',
  '733': 'threat-detection rate summary',
};

/**
 * The non-traffic kind of a message id without a traffic layout: its family's kind, or
 * `not understood: ASA-6-113004` (product tag, level and id as the message wrote them).
 */
export function nonTrafficKind(tag: string, level: string, id: string): string {
  return (
    ownValue(BY_ID, id) ?? ownValue(BY_FAMILY, id.slice(0, 3)) ?? `not understood: ${tag}-${level}-${id}`
  );
}

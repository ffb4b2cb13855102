// ICMP / ICMPv6 type and code names and TCP flag names as `nft monitor trace` prints them (nftables' symbol tables).
import type { TcpFlag } from '../../event.js';
import { wordTable } from '../../util/word-table.js';

/** ICMP type names (nftables `icmp_type`). */
export const ICMP_TYPES: Record<string, number> = wordTable({
  'echo-reply': 0,
  'destination-unreachable': 3,
  'source-quench': 4,
  redirect: 5,
  'echo-request': 8,
  'router-advertisement': 9,
  'router-solicitation': 10,
  'time-exceeded': 11,
  'parameter-problem': 12,
  'timestamp-request': 13,
  'timestamp-reply': 14,
  'info-request': 15,
  'info-reply': 16,
  'address-mask-request': 17,
  'address-mask-reply': 18,
});

/** ICMP code names (nftables `icmp_code`); code 0 prints as net-unreachable whatever the type. */
export const ICMP_CODES: Record<string, number> = wordTable({
  'net-unreachable': 0,
  'host-unreachable': 1,
  'prot-unreachable': 2,
  'port-unreachable': 3,
  'frag-needed': 4,
  'net-prohibited': 9,
  'host-prohibited': 10,
  'admin-prohibited': 13,
});

/** ICMPv6 type names (nftables `icmpv6_type`). */
export const ICMPV6_TYPES: Record<string, number> = wordTable({
  'destination-unreachable': 1,
  'packet-too-big': 2,
  'time-exceeded': 3,
  'parameter-problem': 4,
  'echo-request': 128,
  'echo-reply': 129,
  'mld-listener-query': 130,
  'mld-listener-report': 131,
  'mld-listener-done': 132,
  'mld-listener-reduction': 132,
  'nd-router-solicit': 133,
  'nd-router-advert': 134,
  'nd-neighbor-solicit': 135,
  'nd-neighbor-advert': 136,
  'nd-redirect': 137,
  'router-renumbering': 138,
  'ind-neighbor-solicit': 141,
  'ind-neighbor-advert': 142,
  'mld2-listener-report': 143,
});

/** ICMPv6 code names (nftables `icmpv6_code`); code 0 prints as no-route whatever the type. */
export const ICMPV6_CODES: Record<string, number> = wordTable({
  'no-route': 0,
  'admin-prohibited': 1,
  'addr-unreachable': 3,
  'port-unreachable': 4,
  'policy-fail': 5,
  'reject-route': 6,
});

/** TCP flag names nft prints in `tcp flags == syn | ack`. */
export const TCP_FLAG_NAMES: Record<string, TcpFlag> = wordTable({
  fin: 'FIN',
  syn: 'SYN',
  rst: 'RST',
  psh: 'PSH',
  ack: 'ACK',
  urg: 'URG',
  ecn: 'ECE',
  cwr: 'CWR',
});

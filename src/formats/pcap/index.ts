// Packet captures (classic pcap and pcapng) read as a log: each captured packet becomes one event, so a
// capture of logged packets (NFLOG via ulogd or dumpcap) is analysed like the text log of the same rule.
import type { FwEvent } from '../../event.js';
import {
  FLOW_HEAD_FIELDS,
  INTERFACE_RULE_FIELDS,
  MAC_ENDPOINT_FIELDS,
  TCP_HEADER_FIELDS,
} from '../common-fields.js';
import type { LogFormat, ParseContext, ParseResult } from '../types.js';
import { readCapture } from './blocks.js';
import { decodeIp } from './decode-ip.js';
import { decodeLink } from './link.js';

/**
 * Turn one captured frame into an event: link layer first (MACs, NFLOG prefix and devices, direction),
 * then the IP packet. Non-IP frames (ARP ...) are non-traffic records; undecodable ones are errors.
 */
export function packetToResult(linkType: number, frame: Uint8Array, timestamp?: number): ParseResult {
  // A capture records what passed the wire (or what a log rule copied): it states no decision.
  const ev: FwEvent = { format: 'pcap', action: 'log', direction: 'unknown' };
  if (timestamp !== undefined) ev.timestamp = timestamp;
  const link = decodeLink(linkType, frame, ev);
  if ('skip' in link || 'error' in link) return link;
  const problem = decodeIp(link.ip, ev);
  if (problem) return problem;
  return ev;
}

async function* readBinary(
  stream: AsyncIterable<Uint8Array>,
  _ctx: ParseContext,
): AsyncGenerator<ParseResult> {
  for await (const rec of readCapture(stream)) {
    if ('error' in rec) yield rec;
    else yield packetToResult(rec.linkType, rec.data, rec.timestamp);
  }
}

/** Packet captures. */
export const pcap: LogFormat = {
  id: 'pcap',
  label: 'Packet capture (pcap / pcapng)',
  description:
    'Classic pcap and pcapng captures (Ethernet, raw IP, Linux cooked v1/v2, loopback, NFLOG with its log prefix and in/out ifindex as ifindex:N); each packet is one event with action log.',
  example: '(binary) pcap or pcapng file, e.g. `dumpcap -i nflog:5 -w drops.pcapng` or ulogd PCAP output',
  fields: [
    ...FLOW_HEAD_FIELDS,
    ...MAC_ENDPOINT_FIELDS,
    ...INTERFACE_RULE_FIELDS,
    'prefix',
    'observerProduct',
    'length',
    'ttl',
    'ipId',
    'tos',
    'trafficClass',
    'flowLabel',
    'dontFragment',
    'moreFragments',
    'fragmentOffset',
    ...TCP_HEADER_FIELDS,
    'icmpType',
    'icmpCode',
    'icmpId',
    'icmpSeq',
    'icmpMtu',
    'icmpGateway',
    'icmpParameter',
    'inner',
    'mark',
    'uid',
    'gid',
  ],
  /** Captures are recognised by their magic bytes in the pipeline, never from a text line. */
  detect: () => 0,
  createParser: () => () => null,
  readBinary,
};

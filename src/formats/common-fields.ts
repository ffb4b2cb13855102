// Runs of event property names that many formats' `fields` lists share, in the order they list them;
// each format spreads the runs it needs into its own list, so every list keeps its own content and order.
import type { FwEvent } from '../event.js';

/** A run of event property names, spread into a format's `fields` list. */
type FieldRun = readonly (keyof FwEvent)[];

/** Source and destination address and port. */
export const ENDPOINT_FIELDS: FieldRun = ['sourceIp', 'sourcePort', 'destinationIp', 'destinationPort'];

/** Addresses and ports with the sender's MAC address after its port (logs that print only that MAC). */
export const SOURCE_MAC_ENDPOINT_FIELDS: FieldRun = [
  'sourceIp',
  'sourcePort',
  'sourceMac',
  'destinationIp',
  'destinationPort',
];

/** Addresses and ports with the MAC address after each side's port (packet captures, IDS sensors). */
export const MAC_ENDPOINT_FIELDS: FieldRun = [...SOURCE_MAC_ENDPOINT_FIELDS, 'destinationMac'];

/** What happened to the traffic, which way it went, and over which transport. */
export const DECISION_FIELDS: FieldRun = ['action', 'direction', 'transport'];

/** Time, decision and endpoints: the head of most firewall formats' lists. */
export const TRAFFIC_FIELDS: FieldRun = ['timestamp', ...DECISION_FIELDS, ...ENDPOINT_FIELDS];

/** Time, action, transport and endpoints, for appliances whose records state no direction. */
export const UNDIRECTED_TRAFFIC_FIELDS: FieldRun = ['timestamp', 'action', 'transport', ...ENDPOINT_FIELDS];

/** Time and decision plus the protocol number and IP version that flow and sensor records carry. */
export const FLOW_HEAD_FIELDS: FieldRun = ['timestamp', ...DECISION_FIELDS, 'ianaNumber', 'ipVersion'];

/** The head of flow-log lists (cloud flow logs, Zeek): {@link FLOW_HEAD_FIELDS} then the endpoints. */
export const FLOW_FIELDS: FieldRun = [...FLOW_HEAD_FIELDS, ...ENDPOINT_FIELDS];

/** What a flow or session record summed each way: packets and bytes the source sent, and the destination. */
export const TRAFFIC_COUNT_FIELDS: FieldRun = [
  'sourcePackets',
  'sourceBytes',
  'destinationPackets',
  'destinationBytes',
];

/** The interfaces a packet came in and went out on, and the rule that decided it. */
export const INTERFACE_RULE_FIELDS: FieldRun = ['inInterface', 'outInterface', 'ruleName'];

/** The device that wrote the record: its host name and product. */
export const OBSERVER_FIELDS: FieldRun = ['observerHost', 'observerProduct'];

/** Interfaces, rule and observer: the tail of most appliance formats' lists. */
export const APPLIANCE_FIELDS: FieldRun = [...INTERFACE_RULE_FIELDS, ...OBSERVER_FIELDS];

/** The TCP header values a packet log prints: flags, sequence and acknowledgement numbers, window. */
export const TCP_HEADER_FIELDS: FieldRun = ['tcpFlags', 'tcpSeq', 'tcpAck', 'tcpWindow'];

/** TTL, IP length and TCP details that appliances quote from a dropped packet. */
export const PACKET_DETAIL_FIELDS: FieldRun = ['ttl', 'length', 'tcpFlags', 'tcpSeq', 'tcpWindow'];

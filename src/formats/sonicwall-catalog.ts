// The SonicOS syslog message ids (`m=`, also the CEF signature id) by what each record is, after SonicWall's
// SonicOS Log Events Reference Guide: traffic decisions, the appliance's own alarms, and non-traffic records.
import { type AlarmKind, NON_TRAFFIC } from './skip-kinds.js';

/** What one SonicOS message id stands for. */
export type SonicwallRecord =
  | { kind: 'traffic' }
  | { kind: 'alarm'; alarm: AlarmKind; vendorClass: string }
  | { kind: 'other'; skip: string };

/** Flood-protection status notices (a flood ceased, a machine left the blacklist): no alarm, no packet. */
export const FLOOD_STATUS = 'flood protection status';

/**
 * Records of a packet or connection decision: connections opened/closed, TCP/UDP/ICMP and other drops,
 * NAT mappings, content-filter and Geo-IP decisions, application control, checksum and connection-limit drops.
 */
const TRAFFIC = [
  14, // Web site access denied (Content Filter)
  36, // TCP connection dropped
  37, // UDP packet dropped
  38, // ICMP packet dropped due to Policy
  41, // Unknown protocol dropped
  97, // Web site hit / Syslog Website Accessed
  98, // Connection Opened
  173, // TCP connection from LAN denied
  174, // UDP packet from LAN dropped
  175, // ICMP packet from LAN dropped
  181, // TCP FIN packet dropped
  537, // Connection Closed
  646, // Packet dropped; connection limit for this source IP address has been reached
  647, // ... for this destination IP address
  793, // Application Firewall Alert
  797, // Outbound connection to RBL-listed SMTP server dropped
  798, // Inbound connection from RBL-listed SMTP server dropped
  869, // TCP SYN received (flood protection debug)
  883, // IP Header checksum error; packet dropped
  884, // TCP checksum error; packet dropped
  885, // UDP checksum error; packet dropped
  886, // ICMP checksum error; packet dropped
  897, // TCP packet received with invalid SYN Flood cookie; TCP packet dropped
  999, // SSL Control: Website found in blacklist
  1153, // SSL VPN Traffic
  1154, // Application Control Detection Alert
  1155, // Application Control Prevention Alert
  1197, // NAT Mapping
  1198, // Initiator from country blocked (Geo-IP)
  1199, // Responder from country blocked
  1233, // Unhandled link-local or multicast IPv6 packet dropped
  1304, // Packet is dropped due to NDPP rules
  1459, // Capture ATP File Transfer Attempt
  1460, // Capture ATP File Transfer Result
  1461, // CFS Alert
  1462, // Gateway Anti-Virus Inform
  1474, // Initiator from country blocked, Source: Custom List
  1475, // Responder from country blocked, Source: Custom List
  1574, // Filename Logging
];

/** Attack drops the appliance names itself (its "Attacks" category): malformed, spoofed or scanning packets. */
const SCREEN_ALARMS = [
  22, // Ping of death dropped
  23, // IP spoof dropped
  27, // Land attack dropped
  81, // Smurf Amplification attack dropped
  82, // Possible port scan detected
  83, // Probable port scan detected
  177, // Probable TCP FIN scan detected
  178, // Probable TCP XMAS scan detected
  179, // Probable TCP NULL scan detected
  229, // IP spoof detected on packet to Central Gateway, packet dropped
  267, // TCP Xmas Tree dropped
  446, // FTP: PASV response spoof attack dropped
  580, // TCP SYN/FIN packet dropped
  606, // Spank attack multicast packet dropped
  1177, // Malformed DNS packet detected
  1316, // Possible ARP attack from MAC address
  1373, // IPv6 fragment dropped, invalid length
  1374, // IGMP packet dropped, incomplete fragments
  1375, // UDP fragment dropped, exceeds maximum IP datagram size
  1376, // Nestea/Teardrop attack dropped
  1387, // TCP Null Flag dropped
  1507, // IPv6 MAC-IP Anti-spoof check enforced for hosts
  1508, // IPv6 MAC-IP Anti-spoof cache not found for this router
  1509, // IPv6 MAC-IP Anti-spoof cache found, but it is not a router
  1510, // IPv6 MAC-IP Anti-spoof cache found, but it is blacklisted device
];

/** Flood protection: floods detected or continuing, flooding machines blacklisted, DoS protection on WAN. */
const DOS_ALARMS = [
  25, // Possible SYN flood attack detected
  859, // Possible SYN flood detected on WAN IF - switching to connection-proxy mode
  860, // Possible SYN Flood on IF
  864, // SYN-Flooding machine blacklisted
  866, // Possible SYN Flood on IF continues
  868, // SYN Flood Blacklist on IF continues
  898, // RST-Flooding machine blacklisted
  899, // RST Flood Blacklist on IF continues
  901, // FIN-Flooding machine blacklisted
  902, // FIN Flood Blacklist on IF continues
  904, // Possible RST Flood on IF
  905, // Possible FIN Flood on IF
  908, // Possible RST Flood on IF continues
  909, // Possible FIN Flood on IF continues
  1180, // DOS protection on WAN begins
  1181, // DOS protection on WAN in progress
  1213, // Possible UDP flood attack detected
  1214, // Possible ICMP flood attack detected
  1366, // TCP-Flooding machine blacklisted
  1367, // TCP Flood Blacklist on IF continues
  1369, // Possible TCP Flood on IF
  1371, // Possible TCP Flood on IF continues
  1450, // Possible UDPv6 flood attack detected
  1451, // Possible ICMPv6 flood attack detected
  1452, // Too many half-open TCP connection
];

/** Ends of a flood (ceased, machine removed from the blacklist, protection stopped). */
const FLOOD_STATUS_IDS = [861, 865, 867, 900, 903, 906, 907, 1182, 1368, 1370];

/** Intrusion prevention signatures (IPS, the older IDP). */
const IDS_ALARMS = [608, 609, 789, 790];

/** Security-service detections: anti-virus, anti-spyware, botnet filter, DNS rebind, forbidden attachments. */
const THREAT_ALARMS = [
  165, // Forbidden E-Mail attachment disabled
  248, // Forbidden E-Mail attachment deleted
  794, // Anti-Spyware Prevention Alert
  795, // Anti-Spyware Detection Alert
  809, // Gateway Anti-Virus Alert
  1098, // Possible DNS rebind attack detected
  1099, // DNS rebind attack blocked
  1200, // Suspected Botnet initiator blocked
  1201, // Suspected Botnet responder blocked
  1378, // Possible replay attack with this client IP
  1476, // Suspected Botnet initiator blocked, Source: Custom List
  1477, // Suspected Botnet responder blocked, Source: Custom List
  1518, // Suspected Botnet initiator blocked, Source: Dynamic List
  1519, // Suspected Botnet responder blocked, Source: Dynamic List
];

/** Non-traffic records by kind: logins, configuration, VPN, high availability, the appliance itself. */
const OTHER: [string, number[]][] = [
  [
    NON_TRAFFIC.authentication,
    [
      24, 29, 30, 31, 32, 33, 34, 35, 199, 200, 235, 236, 237, 238, 243, 244, 245, 246, 289, 290, 291, 292,
      329, 438, 439, 486, 583, 745, 746, 747, 748, 749, 750, 751, 753, 754, 755, 756, 757, 759, 986, 987, 992,
      993, 1035, 1048, 1080, 1114, 1115, 1178, 1179, 1517,
    ],
  ],
  [
    NON_TRAFFIC.configuration,
    [
      440, 441, 442, 506, 507, 508, 509, 856, 857, 858, 862, 863, 994, 996, 1049, 1050, 1051, 1052, 1333,
      1334, 1335, 1337, 1338, 1343, 1382, 1383, 1432,
    ],
  ],
  [NON_TRAFFIC.vpn, [67, 70, 139, 140, 212, 311, 312, 318, 319, 336, 344, 452, 465, 648, 1388]],
  [NON_TRAFFIC.highAvailability, [1149, 1444]],
  [
    NON_TRAFFIC.system,
    [
      138, 159, 408, 473, 474, 476, 482, 491, 492, 566, 575, 576, 578, 579, 610, 614, 734, 735, 796, 799, 810,
      815, 879, 881, 1010, 1084, 1085, 1086, 1088, 1093, 1108, 1110, 1159, 1176, 1195, 1222, 1332, 1381, 1426,
      1442, 1443, 1495, 1496, 1515, 1516, 1526, 1532, 1533, 1534, 1564,
    ],
  ],
  [FLOOD_STATUS, FLOOD_STATUS_IDS],
];

function buildCatalog(): Map<number, SonicwallRecord> {
  const m = new Map<number, SonicwallRecord>();
  const put = (ids: number[], record: SonicwallRecord) => {
    for (const id of ids) {
      if (m.has(id)) throw new Error(`sonicwall catalog: m=${id} listed twice`);
      m.set(id, record);
    }
  };
  put(TRAFFIC, { kind: 'traffic' });
  put(SCREEN_ALARMS, { kind: 'alarm', alarm: 'screen', vendorClass: 'attack' });
  put(DOS_ALARMS, { kind: 'alarm', alarm: 'dos', vendorClass: 'flood protection' });
  put(IDS_ALARMS, { kind: 'alarm', alarm: 'ids', vendorClass: 'IPS' });
  put(THREAT_ALARMS, { kind: 'alarm', alarm: 'threat', vendorClass: 'security services' });
  for (const [skip, ids] of OTHER) put(ids, { kind: 'other', skip });
  return m;
}

/** Every SonicOS message id fwlens knows, with what its record is. */
export const SONICWALL_MESSAGES: ReadonlyMap<number, SonicwallRecord> = buildCatalog();

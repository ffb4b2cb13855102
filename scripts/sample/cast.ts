// Who is who in the sample: the outside addresses each planted scenario uses (background traffic avoids them).

/** Named outside senders of the planted scenarios (documentation ranges only). */
export const CAST = {
  ispGateway: '198.51.100.1',
  dnsResolver: '198.51.100.53',
  deadResolver: '203.0.113.54',
  ntpServer: '203.0.113.123',
  pmtuRouter: '198.51.100.254',
  oldRouter: '203.0.113.254',
  backupServer: '203.0.113.97',
  mirrorServer: '203.0.113.98',
  tracerouteTarget: '203.0.113.200',
  tracerouteHops: [
    '198.51.100.1',
    '198.51.100.2',
    '198.51.100.129',
    '203.0.113.129',
    '203.0.113.130',
    '203.0.113.190',
  ],
  sub7: ['203.0.113.77', '198.51.100.177', '203.0.113.27'],
  backOrificeUdp: '198.51.100.31',
  backOrificeTcp: '203.0.113.137',
  proxyHunter: '203.0.113.108',
  socksSweeper: '198.51.100.108',
  verticalScanner: '203.0.113.66',
  xmasScanner: '198.51.100.66',
  nullScanner: '198.51.100.67',
  slowScanner: '203.0.113.211',
  unixTraceroute: '198.51.100.141',
  windowsTracert: '203.0.113.141',
  natWebServers: ['203.0.113.80', '203.0.113.81', '203.0.113.44'],
  realAudioServer: '203.0.113.70',
  powwow: ['198.51.100.13', '198.51.100.223', '203.0.113.132'],
  synFloodVictim: '203.0.113.88',
  ingreslock: '198.51.100.24',
  nfs: '203.0.113.49',
  rpc: '198.51.100.71',
  pcAnywhere: '198.51.100.156',
  dnsSourcePort: '203.0.113.153',
  sscan: '198.51.100.115',
  zeroProbe: '198.51.100.199',
  portZero: '203.0.113.205',
  sshAdmin: '198.51.100.34',
  sshBruteForce: '198.51.100.40',
  damagedSources: ['203.0.113.45', '198.51.100.250'],
  ipv6SshProber: '2001:db8:bad:1::7',
  ipv6Pinger: '2001:db8:4:2::8',
  linkLocalNeighbour: 'fe80::5054:ff:fe5c:4e21',
  privateSources: ['10.66.3.9', '172.16.44.2'],
} as const;

/** MAC of the neighbour on our ISP segment that pings ff02::1 and sends the 0.0.0.0 probe. */
export const NEIGHBOUR_MAC = '52:54:00:5c:4e:21';

/** The Conducent ad servers the FAQ lists (real addresses, used only as outbound destinations). */
export const CONDUCENT_SERVERS = [
  '216.33.210.40',
  '216.33.210.41',
  '216.33.199.77',
  '216.33.199.80',
  '216.33.199.81',
];

/** Last octets of the two /24s whose hosts answer the forged broadcast pings (smurf amplifiers). */
export const AMPLIFIERS = [
  ...Array.from({ length: 29 }, (_, i) => `203.0.113.${225 + i}`),
  ...Array.from({ length: 14 }, (_, i) => `198.51.100.${225 + i}`),
];

/** The admin's office network, allowed to SSH in (198.51.100.32/27): background traffic avoids it. */
export function inOfficeNet(ip: string): boolean {
  if (!ip.startsWith('198.51.100.')) return false;
  const last = Number(ip.slice('198.51.100.'.length));
  return last >= 32 && last <= 63;
}

/** Every address a planted scenario uses. */
export function castAddresses(): Set<string> {
  const out = new Set<string>(AMPLIFIERS);
  for (const value of Object.values(CAST)) {
    if (typeof value === 'string') out.add(value);
    else for (const v of value) out.add(v);
  }
  return out;
}

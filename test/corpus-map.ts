// Which format each file of ../shared/corpus must be read as, and the lines it may leave unparsed (with why).

/** Expectations for one corpus file. */
export interface CorpusExpectation {
  /** Format id that must read the file's traffic lines; null for files that hold no firewall traffic. */
  format: string | null;
  /** Lines allowed to stay unrecognized (not a firewall record), with the reason. */
  unrecognized?: { count: number; why: string };
  /** Lines allowed to be rejected as damaged, with the reason. */
  malformed?: { count: number; why: string };
  /** Set while the format is not implemented yet: the test is an expected failure naming the issue. */
  pending?: string;
}

/** Default expectation per corpus folder; `FILES` below overrides single files. */
export const FOLDERS: Record<string, CorpusExpectation> = {
  iptables: { format: 'netfilter' },
  ufw: { format: 'netfilter' },
  nftables: { format: 'netfilter' },
  'other-proxmox-pvefw': { format: 'netfilter' },
  'other-unifi': { format: 'netfilter' },
  'other-kernel-netfilter-noise': { format: 'linux-kernel-net' },
  'pf-filterlog': { format: 'pf-filterlog' },
  'other-openbsd-pflog': { format: 'pf-tcpdump' },
  'windows-pfirewall': { format: 'windows-pfirewall' },
  'cisco-asa': { format: 'cisco-asa' },
  'cisco-ftd': { format: 'cisco-asa' },
  fortigate: {
    format: 'fortigate',
    malformed: {
      count: 8,
      why: 'the sample set anonymised addresses into host names (example.com, hostname) or broken text (00192.0.2.100:00:00:00)',
    },
  },
  panos: { format: 'panos' },
  'juniper-srx': { format: 'juniper-srx' },
  netscreen: { format: 'netscreen' },
  sonicwall: { format: 'sonicwall' },
  checkpoint: { format: 'checkpoint' },
  sophos: { format: 'sophos' },
  mikrotik: { format: 'mikrotik' },
  'aws-vpc-flow': { format: 'aws-vpc-flow' },
  'other-azure-nsg-flow': { format: 'azure-nsg-flow' },
  'zeek-conn': { format: 'zeek-conn' },
  'suricata-eve': { format: 'suricata-eve' },
  'nflog-pcap': { format: 'pcap' },
  'other-barracuda': { format: 'barracuda' },
  'other-cisco-meraki': { format: 'cisco-meraki' },
  'other-clavister': { format: 'clavister' },
  // Forcepoint writes CEF and LEEF in one stream: its own module reads both (generic cef/leef leave it alone).
  'other-forcepoint': { format: 'forcepoint' },
  'other-ipfw': { format: 'ipfw' },
  'other-ms-isa': {
    format: 'ms-isa',
    malformed: { count: 1, why: 'an ISA 2000 Web Proxy record whose date column is damaged (20081.6-11-16)' },
  },
  'other-stormshield': { format: 'stormshield' },
  'other-watchguard': { format: 'watchguard' },
  'other-zonealarm': { format: 'zonealarm' },
};

/** Per-file overrides (path relative to the corpus folder). */
export const FILES: Record<string, CorpusExpectation> = {
  'panos/sekoia-paloalto-ngfw.log': {
    format: 'panos',
    malformed: { count: 1, why: 'a TRAFFIC deny record with source port 130000, outside 0-65535' },
  },
  // Recognised as PAN-OS TRAFFIC records, but nothing usable is left in them.
  'panos/wazuh-paloalto-anonymized.log': {
    format: null,
    malformed: {
      count: 4,
      why: 'PAN-OS records anonymised by zeroing every digit and letter: time generated 2020/06/00 and protocol "xxx" are not real values',
    },
  },
  // Its one record, recognised as a v5 flow log record, holds no usable time.
  'aws-vpc-flow/integrations-vpcflow-v5-all-fields.log': {
    format: null,
    malformed: {
      count: 1,
      why: 'start 164000066 (1975-03-14, a digit short of the end 1640000297 in 2021): no flow log was written before 2000',
    },
  },
  'suricata-eve/sekoia-suricata.log': {
    format: 'suricata-eve',
    unrecognized: {
      count: 1,
      why: 'line 4 is a Metricbeat system.memory record the sample set carries, not a Suricata record',
    },
  },
  'other-unifi/crowdsec-unifi-logs.log': {
    format: 'netfilter',
    unrecognized: {
      count: 1,
      why: 'an sshd login failure from the same UniFi gateway, not a firewall record',
    },
  },
  'cisco-asa/logstash-patterns-ciscofw.log': {
    format: 'cisco-asa',
    malformed: {
      count: 2,
      why: 'an access-group deny whose destination is a host name (www.example.com), not an address, and a 110002 whose destination port is 123412',
    },
  },
  'cisco-asa/ossec-docs-cisco-pix.log': {
    format: 'cisco-asa',
    malformed: {
      count: 7,
      why: 'addresses redacted as *** (5 lines) or x.y.z.a (a 304001 URL record) and one truncated address (192.168.20) in the sample',
    },
  },
  'cisco-asa/sekoia-cisco-secure-firewall.log': {
    format: 'cisco-asa',
    malformed: { count: 1, why: 'an FTD connection event with SrcPort 77777, outside 0-65535' },
  },
  'netscreen/ossec-docs-netscreen.log': {
    format: 'netscreen',
    malformed: {
      count: 1,
      why: 'a spoofing alarm whose destination address is redacted as a.b.c.d in the sample',
    },
  },
  'nftables/lab-nft-monitor-trace.log': { format: 'nftables-trace' },
  'nftables/openwrt-issue-19814-nft-monitor-trace.log': { format: 'nftables-trace' },
  'other-kernel-netfilter-noise/ossec-docs-iptables-martian.log': {
    format: 'linux-kernel-net',
    unrecognized: {
      count: 1,
      why: 'a TCP stack notice (a peer shrank its window): no packet the kernel dropped',
    },
  },
  // issue 5, host and small firewalls
  'pf-filterlog/integrations-opnsense-mixed.log': {
    format: 'pf-filterlog',
    unrecognized: {
      count: 2,
      why: 'a dhcpd and an unbound line from the same OPNsense syslog stream, not firewall records',
    },
  },
  'pf-filterlog/sekoia-openbsd-pf.log': {
    format: 'pf-filterlog',
    malformed: {
      count: 1,
      why: 'a hand-made IPv6 test line with 12 header columns where filterlog writes 8 (the source address column holds `vrrp`)',
    },
  },
  'windows-pfirewall/rafaelnett-lab03-pfirewall.log': {
    format: 'windows-pfirewall',
    malformed: {
      count: 12,
      why: 'NetBIOS drops whose destination is written 192.168.1.10055 (an octet over 255) in the sample',
    },
  },
};

/** The expectation for a corpus file. */
export function expectationFor(relPath: string): CorpusExpectation | undefined {
  return FILES[relPath] ?? FOLDERS[relPath.split('/')[0]!];
}

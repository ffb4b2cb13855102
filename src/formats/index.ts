// The registry: the one explicit list of every log format fwlens reads.
import { awsNetworkFirewall } from './aws-network-firewall.js';
import { awsVpcFlow } from './aws-vpc-flow.js';
import { azureNsgFlow } from './azure-nsg-flow.js';
import { barracuda } from './barracuda.js';
import { cef } from './cef.js';
import { checkpoint } from './checkpoint/index.js';
import { ciscoAsa } from './cisco-asa/index.js';
import { ciscoIos } from './cisco-ios.js';
import { ciscoMeraki } from './cisco-meraki.js';
import { clavister } from './clavister.js';
import { forcepoint } from './forcepoint.js';
import { fortigate } from './fortigate.js';
import { gcpVpcFlow } from './gcp-vpc-flow.js';
import { ipfw } from './ipfw.js';
import { juniperSrx } from './juniper-srx/index.js';
import { leef } from './leef.js';
import { linuxKernelNet } from './linux-kernel-net.js';
import { macosSocketfilterfw } from './macos-socketfilterfw.js';
import { mikrotik } from './mikrotik.js';
import { msIsa } from './ms-isa/index.js';
import { netfilter } from './netfilter/index.js';
import { netscreen } from './netscreen.js';
import { nftablesTrace } from './nftables-trace/index.js';
import { panos } from './panos.js';
import { pcap } from './pcap/index.js';
import { pfFilterlog } from './pf-filterlog.js';
import { pfTcpdump } from './pf-tcpdump.js';
import { snortSyslog } from './snort-syslog.js';
import { sonicwall } from './sonicwall.js';
import { sophos } from './sophos.js';
import { stormshield } from './stormshield.js';
import { suricataEve } from './suricata-eve.js';
import type { LogFormat } from './types.js';
import { watchguard } from './watchguard.js';
import { windowsPfirewall } from './windows-pfirewall.js';
import { windowsWfp } from './windows-wfp.js';
import { zeekConn } from './zeek-conn.js';
import { zonealarm } from './zonealarm.js';

/** Every registered format, in detection-tie-break order (more specific formats first). */
export const FORMATS: readonly LogFormat[] = [
  netfilter,
  awsVpcFlow,
  azureNsgFlow,
  gcpVpcFlow,
  ciscoAsa,
  pfTcpdump,
  ipfw,
  zonealarm,
  msIsa,
  nftablesTrace,
  mikrotik,
  windowsPfirewall,
  netscreen,
  pfFilterlog,
  juniperSrx,
  checkpoint,
  forcepoint,
  fortigate,
  panos,
  sonicwall,
  sophos,
  watchguard,
  barracuda,
  ciscoMeraki,
  stormshield,
  clavister,
  cef,
  leef,
  zeekConn,
  suricataEve,
  pcap,
  ciscoIos,
  awsNetworkFirewall,
  macosSocketfilterfw,
  linuxKernelNet,
  windowsWfp,
  snortSyslog,
];

/** A format by id, or undefined. */
export function formatById(id: string): LogFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}

export type { Envelope, LogFormat, ParseContext, ParseResult, RecordParser } from './types.js';

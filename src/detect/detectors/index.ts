// The explicit list of every detector spec the engine runs (one file per detector).
import type { DetectorSpec } from '../types.js';
import { backscatter } from './backscatter.js';
import { distributedByPrefix, distributedOnTarget } from './distributed-scan.js';
import { firewallAlarmSpec } from './firewall-alarm.js';
import { directedBroadcast, reflectionFlood, sourceFlood, targetFlood } from './flood.js';
import { horizontalSweep } from './horizontal-sweep.js';
import { inheritedRetry } from './inherited-retry.js';
import { lanNoise } from './lan-noise.js';
import { outboundBeacon } from './outbound-beacon.js';
import { pingSweep } from './ping-sweep.js';
import { repeatedAttempts } from './repeated-attempts.js';
import { returnTraffic } from './return-traffic.js';
import { scannerFingerprint } from './scanner-fingerprint.js';
import { serviceHunt } from './service-hunt.js';
import { slowFewPortsScan, slowScan } from './slow-scan.js';
import { inconsistentTtl, spoofedAddress } from './spoofing.js';
import { icmpTraceroute, udpTraceroute } from './traceroute.js';
import { trojanProbe } from './trojan-probe.js';
import { verticalScan } from './vertical-scan.js';

/** Every spec, in a fixed order (output order does not depend on it: findings are sorted). */
export const ALL_SPECS: readonly DetectorSpec[] = [
  verticalScan,
  horizontalSweep,
  serviceHunt,
  pingSweep,
  slowScan,
  slowFewPortsScan,
  distributedByPrefix,
  distributedOnTarget,
  udpTraceroute,
  icmpTraceroute,
  scannerFingerprint,
  trojanProbe,
  inheritedRetry,
  returnTraffic,
  outboundBeacon,
  lanNoise,
  backscatter,
  sourceFlood,
  targetFlood,
  reflectionFlood,
  directedBroadcast,
  spoofedAddress,
  inconsistentTtl,
  repeatedAttempts,
  firewallAlarmSpec,
];

// Repeated attempts: a source hammering one or two ports (password guessing or a retrying client), never a scan.
import { tBoth } from '../../i18n.js';
import { confidenceFor, distinctServices, listOf, recordCount, topKeys, worded } from '../finding.js';
import { blockedSession, isProbe, pairKey } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { topShare, windowTunables } from './common.js';

/** `extra` counter of the attempts the firewall allowed. */
const ALLOWED = 'allowed';

/** Ports where a stream of new connections usually means password guessing. */
const LOGIN_PORTS = new Set([21, 22, 23, 25, 110, 143, 445, 1433, 2323, 3306, 3389, 5432, 5900, 8291]);

export const repeatedAttempts: DetectorSpec = {
  id: 'repeated-attempts',
  name: 'repeated-attempts',
  keyedBySource: true,
  tunables: {
    ...windowTunables(600, 6 * 3600),
    minAttempts: {
      default: 10,
      doc: 'Packets one source must send to the same one or two ports of one target.',
    },
    maxPorts: { default: 2, doc: 'The top this-many ports must carry nearly all attempts.' },
    minShare: { default: 0.9, doc: 'Share of attempts the top ports must carry.' },
  },
  // Connection attempts only: crafted FIN/ACK/NULL probes belong to scans and fingerprinting. A TCP record
  // without flags counts when it was blocked (a session log's denied connection); an allowed session's
  // records (opened, closed, a flow) are not attempts.
  // Replies to our own clients (RealAudio streams, DNS answers ...) are return traffic, not attempts.
  filter: (p) =>
    isProbe(p) &&
    p.dport !== undefined &&
    (p.technique === 'syn' || p.technique === 'udp' || blockedSession(p)) &&
    p.reply === undefined,
  groupBy: pairKey,
  keyFixes: 'pair',
  distinct: (p) => p.portKey, // the filter keeps packets with a port: `proto/port`
  // Attempts the firewall let through: the wording of a retried connection must not say it was refused.
  observe: (b, p) => {
    if (p.ev.action === 'allow') b.extra.set(ALLOWED, (b.extra.get(ALLOWED) ?? 0) + 1);
  },
  qualifies: (b, t) =>
    b.events >= t['minAttempts']! && topShare(b.ports, t['maxPorts']!, b.events) >= t['minShare']!,
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const [dst] = b.targets.keys();
    const proto = topKeys(b.transports, 1)[0] ?? 'tcp';
    const ports = topKeys(b.ports, t['maxPorts']!).sort((x, y) => x - y);
    const services = listOf(distinctServices(ctx.kb, ports, proto));
    const login = ports.some((p) => LOGIN_PORTS.has(p));
    // Most of them let through: a client connecting again and again, not one retrying against a refusal.
    const allowed = (b.extra.get(ALLOWED) ?? 0) * 2 > b.events;
    const why = tBoth(
      login ? 'detect.repeated.login' : allowed ? 'detect.repeated.retryAllowed' : 'detect.repeated.retry',
    );
    const details = tBoth('detect.repeated.details', {
      src: src!,
      sent: recordCount(b, 'sent'),
      services,
      dst: dst!,
      why,
    });
    return {
      ...worded(
        ctx.kb,
        // The knowledge base's repeated-attempts text speaks of password guessing: only for login ports.
        login
          ? { signature: 'repeated-attempts' }
          : {
              title: tBoth('detect.repeated.title', { services }),
              advice: tBoth(allowed ? 'detect.repeated.adviceAllowed' : 'detect.repeated.advice'),
            },
        details,
        services,
      ),
      severity: login ? 3 : 2,
      confidence: confidenceFor(b.events, t['minAttempts']!),
      technique: login ? 'password-guessing' : 'retry',
      ports,
    };
  },
};

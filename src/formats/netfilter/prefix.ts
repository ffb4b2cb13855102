// Log prefixes written by netfilter front-ends (ufw, firewalld, Shorewall, Proxmox, Docker, EdgeOS, custom):
// what they say about the action, the rule and the product.
import type { EventAction } from '../../event.js';
import { wordTable } from '../../util/word-table.js';

/** What a prefix tells: action, rule name, product. */
export interface PrefixInfo {
  action: EventAction;
  ruleName?: string;
  product: string;
}

const UFW_ACTIONS: Record<string, EventAction> = wordTable({
  'UFW BLOCK': 'deny',
  // ufw's rate limit (`ufw limit`): its chain logs, then REJECTs with icmp-port-unreachable.
  'UFW LIMIT BLOCK': 'reject',
  'UFW LIMIT': 'reject',
  'UFW ALLOW': 'allow',
  'UFW AUDIT': 'log',
  'UFW AUDIT INVALID': 'log',
});

// Word -> action, for free-form prefixes. Order of precedence: reject, deny, allow.
const REJECT_WORDS = new Set(['REJECT', 'REJECTED', 'REJ']);
const DENY_WORDS = new Set([
  'DROP',
  'DROPPED',
  'DENY',
  'DENIED',
  'BLOCK',
  'BLOCKED',
  'DISCARD',
  'REFUSED',
  'BAN',
]);
const ALLOW_WORDS = new Set(['ACCEPT', 'ACCEPTED', 'ALLOW', 'ALLOWED', 'PASS', 'PASSED', 'PERMIT', 'ACC']);

function actionFromWords(prefix: string): EventAction | undefined {
  const words = prefix.toUpperCase().split(/[^A-Z]+/);
  let found: EventAction | undefined;
  for (const w of words) {
    if (REJECT_WORDS.has(w)) return 'reject';
    if (DENY_WORDS.has(w)) found = 'deny';
    else if (ALLOW_WORDS.has(w) && found === undefined) found = 'allow';
  }
  return found;
}

const cache = new Map<string, PrefixInfo>();
/** Bound on cached distinct prefixes; real logs have a handful, hostile ones could have millions. */
export const PREFIX_CACHE_LIMIT = 4096;

/**
 * Interpret a netfilter log prefix (the text before `IN=`), trimmed of spaces.
 * Unknown prefixes without an action word give action `log`: the line says the packet was logged,
 * not what happened to it.
 */
export function interpretPrefix(raw: string): PrefixInfo {
  const hit = cache.get(raw);
  if (hit) return hit;
  const info = interpretUncached(raw);
  if (cache.size >= PREFIX_CACHE_LIMIT) cache.clear();
  cache.set(raw, info);
  return info;
}

function interpretUncached(raw: string): PrefixInfo {
  // firewalld versions quote the prefix: '"filter_IN_public_REJECT: "IN=...'
  const prefix = raw.trim().replace(/^"|"$/g, '').trim();
  if (prefix === '') return { action: 'log', product: 'netfilter' };
  // ufw: "[UFW BLOCK]", "[UFW LIMIT BLOCK]", "[UFW AUDIT INVALID]" ...
  if (prefix.startsWith('[UFW ')) {
    const name = prefix.slice(1, prefix.indexOf(']') > 0 ? prefix.indexOf(']') : undefined);
    return {
      action: UFW_ACTIONS[name] ?? actionFromWords(name) ?? 'log',
      ruleName: name,
      product: 'ufw',
    };
  }
  // Shorewall: "Shorewall:net2fw:DROP:" (chain, then disposition)
  if (prefix.startsWith('Shorewall:')) {
    const parts = prefix.split(':');
    return {
      action: actionFromWords(parts[2] ?? '') ?? 'log',
      ruleName: parts[1] || undefined,
      product: 'shorewall',
    };
  }
  // Proxmox VE firewall (pve-firewall.log): "PVEFW-HOST-IN policy DROP:" / "tap100i0-IN ACCEPT:"
  if (prefix.startsWith('PVEFW-') || /^(?:tap|veth|fwbr|fwln)\S*-(?:IN|OUT) /.test(prefix)) {
    const sp = prefix.indexOf(' ');
    return {
      action: actionFromWords(prefix.slice(sp + 1)) ?? 'log',
      ruleName: sp > 0 ? prefix.slice(0, sp) : prefix,
      product: 'proxmox',
    };
  }
  // EdgeOS / UniFi: "[WAN_IN-3000-D]", "[LAN_LOCAL-default-A]", UniFi OS "[WAN_LOCAL-D-2147483647] DESCR=\"...\"":
  // the letter is the disposition, A=accept, D=drop, R=reject.
  const edge = /\[([A-Za-z0-9_.]+)-([ADR])-(\d+)\]|\[([A-Za-z0-9_.-]+?)-([ADR])\]/.exec(prefix);
  if (edge) {
    const unifi = edge[1] !== undefined;
    const letter = unifi ? edge[2] : edge[5];
    const descr = /DESCR="([^"]*)"?/.exec(prefix)?.[1];
    return {
      action: letter === 'A' ? 'allow' : letter === 'R' ? 'reject' : 'deny',
      ruleName: descr ?? (unifi ? `${edge[1]}-${letter}-${edge[3]}` : `${edge[4]}-${letter}`),
      product: unifi ? 'unifi' : 'edgeos',
    };
  }
  const name = prefix
    .replace(/^\[|\]$/g, '')
    .replace(/:$/, '')
    .trim();
  // firewalld: "FINAL_REJECT:", "filter_IN_public_REJECT:", "filter_FWD_public_DROP", "rpfilter_DROP:"
  if (
    /^(?:filter|nat|mangle|raw)_(?:IN|FWD|OUT|FWDI|FWDO)_/.test(name) ||
    /^(?:FINAL_REJECT|rpfilter_DROP|STATE_INVALID_DROP)$/.test(name)
  ) {
    return {
      action: actionFromWords(name.replace(/_/g, ' ')) ?? 'log',
      ruleName: name,
      product: 'firewalld',
    };
  }
  if (/^DOCKER/i.test(name))
    return {
      action: actionFromWords(name.replace(/[_-]/g, ' ')) ?? 'log',
      ruleName: name,
      product: 'docker',
    };
  return { action: actionFromWords(name.replace(/_/g, ' ')) ?? 'log', ruleName: name, product: 'netfilter' };
}

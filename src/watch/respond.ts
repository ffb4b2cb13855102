// Opt-in response of `fwlens watch`: block a finding's sources in an nftables set or an ipset, with expiry; dry-run by default.
import { spawn } from 'node:child_process';
import { CidrSet } from '../detect/addresses.js';
import type { DetectorId, Finding } from '../detect/types.js';
import { type Lang, t } from '../i18n.js';
import { type AddressClass, classifyAddress } from '../net/address-class.js';
import { canonicalIp, intToIpv4, ipv6Groups, isIPv4 } from '../net/ip.js';
import { type Clock, systemClock } from './alerts/clock.js';

/** Default lowest severity that blocks: 4 (high). */
export const BLOCK_MIN_SEVERITY = 4;
/** Default time a block lasts before the set element expires: 1 h. */
export const BLOCK_TIMEOUT_SECONDS = 3600;
/** Default time nft or ipset may take per call before it is killed. */
export const BLOCK_COMMAND_TIMEOUT_MS = 10_000;
/** Most addresses remembered as blocked (to skip re-adding them until they expire). */
export const BLOCK_MEMORY_LIMIT = 100_000;

/**
 * Detectors whose sources are the attacker itself and may be blocked. Left out on purpose: spoofing and
 * flood (sources may be forged), backscatter (sources answer someone forging *your* address), return
 * traffic, LAN noise, outbound beacon (the source is your own host), traceroute and inherited retries
 * (harmless on their own), and the firewall's own alarms (it has acted on them already, and a flood
 * screen's source may be forged).
 */
export const BLOCKABLE_DETECTORS: readonly DetectorId[] = [
  'vertical-scan',
  'horizontal-sweep',
  'ping-sweep',
  'slow-scan',
  'distributed-scan',
  'scanner-fingerprint',
  'trojan-probe',
  'repeated-attempts',
];

/** Address classes blocked without being asked: public addresses and the documentation ranges standing in for them. */
export const BLOCKABLE_CLASSES: readonly AddressClass[] = ['public', 'documentation'];

/** Options of the responder; only `backend` is required. */
export interface ResponderOptions {
  /** nftables sets (`inet <table>` with a v4 and a v6 set) or ipset sets (hash:ip, one per family). */
  backend: 'nft' | 'ipset';
  /** Run the commands (needs CAP_NET_ADMIN); default false: print them only. */
  apply?: boolean;
  /** Lowest finding severity that blocks (default BLOCK_MIN_SEVERITY). */
  minSeverity?: 1 | 2 | 3 | 4 | 5;
  /** Seconds a block lasts (set element timeout; default BLOCK_TIMEOUT_SECONDS). */
  timeoutSeconds?: number;
  /** Never blocked: the detection config's trusted networks, own networks and own addresses. */
  trustedNetworks?: string[];
  ownNetworks?: string[];
  ownAddresses?: string[];
  /** Address classes allowed beyond public/documentation (e.g. ['private'] inside a lab). */
  allowClasses?: AddressClass[];
  /** Detectors whose findings may block (default BLOCKABLE_DETECTORS). */
  detectors?: readonly DetectorId[];
  /** nft table name (default 'fwlens'); its sets are `<set>4` and `<set>6`. */
  table?: string;
  /** Set name stem (default 'blocklist' for nft, 'fwlens' for ipset): `<stem>4` and `<stem>6`. */
  set?: string;
  /**
   * The program to run as an argument array (default ['nft'] or ['ipset']); e.g. ['ip', 'netns', 'exec',
   * 'lab', 'nft'] to act inside a network namespace. Never a shell.
   */
  command?: string[];
  /**
   * With the ipset backend, the programs that install the drop rules using the sets (default ['iptables'] and
   * ['ip6tables']; e.g. ['ip', 'netns', 'exec', 'lab', 'iptables']). Never a shell.
   */
  iptables?: { v4: string[]; v6: string[] };
  /** Milliseconds per command (default BLOCK_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
  /** Where dry-run commands are printed, one per call (default stdout). */
  print?: (line: string) => void;
  /** Where one-sentence problems go, and their language (default 'en'). */
  onProblem?: (sentence: string) => void;
  lang?: Lang;
  clock?: Clock;
}

/** What the alerter calls: consider one finding, and read counters. */
export interface Responder {
  /** Block the finding's blockable sources (or print the commands); resolves with the addresses blocked now. */
  consider(f: Finding): Promise<string[]>;
  /** The one-time setup commands (nft script lines, or ipset command lines) as they would be printed. */
  setupCommands(): string[];
  /** Counters under `respond.*`. */
  stats(): Record<string, number>;
  /** Replace the networks never blocked (a reloaded detection config's trusted and own networks). */
  protect(networks: ProtectedNetworks): void;
}

/** The networks a responder never blocks. */
export type ProtectedNetworks = Pick<ResponderOptions, 'trustedNetworks' | 'ownNetworks' | 'ownAddresses'>;

/** Why an address is not blocked (stats key `respond.refused_<reason>`), or undefined when it may be. */
export type Refusal = 'invalid' | 'trusted' | 'own' | 'class';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;

/**
 * The address as nft/ipset should see it: canonical text (only hex digits, dots and colons), an IPv4-mapped
 * IPv6 address as its IPv4 form; undefined for anything that is not an address (log text is never passed on).
 */
export function blockableText(raw: string): { ip: string; family: 4 | 6 } | undefined {
  const ip = canonicalIp(raw.trim());
  if (!ip) return undefined;
  if (isIPv4(ip)) return { ip, family: 4 };
  const g = ipv6Groups(ip)!;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)
    return { ip: intToIpv4(g[6]! * 65536 + g[7]!), family: 4 };
  return { ip, family: 6 };
}

/** Build the responder; throws one sentence on bad names or numbers. */
export function createResponder(opts: ResponderOptions): Responder {
  const backend = opts.backend;
  const table = opts.table ?? 'fwlens';
  const stem = opts.set ?? (backend === 'nft' ? 'blocklist' : 'fwlens');
  if (!NAME.test(table) || !NAME.test(stem))
    throw new Error(`block table and set names take letters, digits and _ only, not "${table}"/"${stem}"`);
  const timeout = opts.timeoutSeconds ?? BLOCK_TIMEOUT_SECONDS;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 365 * 86400)
    throw new Error(`the block timeout must be a whole number of seconds from 1 to one year, not ${timeout}`);
  const minSeverity = opts.minSeverity ?? BLOCK_MIN_SEVERITY;
  const command = opts.command ?? [backend];
  const apply = opts.apply === true;
  const clock = opts.clock ?? systemClock;
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const problem = opts.onProblem ?? (() => {});
  const lang = opts.lang ?? 'en';
  const detectors = new Set(opts.detectors ?? BLOCKABLE_DETECTORS);
  const allowed = new Set<AddressClass>([...BLOCKABLE_CLASSES, ...(opts.allowClasses ?? [])]);
  let trusted = new CidrSet(opts.trustedNetworks ?? []);
  let own = new CidrSet([...(opts.ownNetworks ?? []), ...(opts.ownAddresses ?? [])]);
  const blockedUntil = new Map<string, number>();
  const counts: Record<string, number> = {};
  const count = (k: string, n = 1) => {
    counts[`respond.${k}`] = (counts[`respond.${k}`] ?? 0) + n;
  };
  let setUp = false;
  const v4 = `${stem}4`;
  const v6 = `${stem}6`;

  const refusal = (ip: string): Refusal | undefined => {
    if (trusted.has(ip)) return 'trusted';
    if (own.has(ip)) return 'own';
    if (!allowed.has(classifyAddress(ip))) return 'class';
    return undefined;
  };

  const setup = (): string[] =>
    backend === 'nft'
      ? [
          `add table inet ${table}`,
          `add set inet ${table} ${v4} { type ipv4_addr; flags timeout; }`,
          `add set inet ${table} ${v6} { type ipv6_addr; flags timeout; }`,
          `add chain inet ${table} input { type filter hook input priority -10; policy accept; }`,
          `add chain inet ${table} forward { type filter hook forward priority -10; policy accept; }`,
          // Flushing the two chains makes the setup safe to run at every start: the rules never pile up.
          `flush chain inet ${table} input`,
          `flush chain inet ${table} forward`,
          `add rule inet ${table} input ip saddr @${v4} counter drop`,
          `add rule inet ${table} input ip6 saddr @${v6} counter drop`,
          `add rule inet ${table} forward ip saddr @${v4} counter drop`,
          `add rule inet ${table} forward ip6 saddr @${v6} counter drop`,
        ]
      : [
          `create ${v4} hash:ip family inet timeout ${timeout} -exist`,
          `create ${v6} hash:ip family inet6 timeout ${timeout} -exist`,
        ];

  /**
   * ipset only: the iptables/ip6tables rules that make the sets drop, on INPUT and FORWARD, each inserted
   * first in its chain unless it is there already (`-C` checks), so a restart never piles them up.
   */
  const iptables = opts.iptables ?? { v4: ['iptables'], v6: ['ip6tables'] };
  const dropRules = (): { program: string[]; rule: string[] }[] =>
    backend === 'ipset'
      ? (['INPUT', 'FORWARD'] as const).flatMap((chain) => [
          { program: iptables.v4, rule: [chain, '-m', 'set', '--match-set', v4, 'src', '-j', 'DROP'] },
          { program: iptables.v6, rule: [chain, '-m', 'set', '--match-set', v6, 'src', '-j', 'DROP'] },
        ])
      : [];
  const showRules = (): string[] => dropRules().map((r) => [...r.program, '-I', ...r.rule].join(' '));
  /** Insert the drop rules not there yet; one sentence on the first failure. */
  const installRules = async (): Promise<string | undefined> => {
    for (const r of dropRules()) {
      const [chain, ...match] = r.rule;
      if (
        (await runProgram([...r.program, '-C', chain!, ...match], undefined, opts.commandTimeoutMs)) ===
        undefined
      )
        continue;
      const err = await runProgram(
        [...r.program, '-I', chain!, '1', ...match],
        undefined,
        opts.commandTimeoutMs,
      );
      if (err) return err;
    }
    return undefined;
  };

  const elementLines = (addrs: { ip: string; family: 4 | 6 }[]): string[] =>
    backend === 'nft'
      ? addrs.map(
          (a) =>
            `add element inet ${table} ${a.family === 4 ? v4 : v6} { ${a.ip} timeout ${nftDuration(timeout)} }`,
        )
      : addrs.map((a) => `add ${a.family === 4 ? v4 : v6} ${a.ip} timeout ${timeout} -exist`);

  /** Run nft with the lines as one `-f -` script, or ipset once per line as an argument array. */
  const run = async (lines: string[], withSetup: boolean): Promise<string | undefined> => {
    if (backend === 'nft')
      return runProgram([...command, '-f', '-'], `${lines.join('\n')}\n`, opts.commandTimeoutMs);
    for (const line of lines) {
      const err = await runProgram([...command, ...line.split(' ')], undefined, opts.commandTimeoutMs);
      if (err) return err;
    }
    return withSetup ? installRules() : undefined;
  };

  const shown = (lines: string[]): string[] =>
    backend === 'nft'
      ? lines.map((l) => `${command.join(' ')} ${quoteForDisplay(l)}`)
      : lines.map((l) => `${command.join(' ')} ${l}`);

  return {
    setupCommands: () => [...shown(setup()), ...showRules()],
    stats: () => ({ ...counts }),
    protect(n) {
      trusted = new CidrSet(n.trustedNetworks ?? []);
      own = new CidrSet([...(n.ownNetworks ?? []), ...(n.ownAddresses ?? [])]);
    },
    async consider(f) {
      if (f.severity < minSeverity) {
        count('below_severity');
        return [];
      }
      if (!detectors.has(f.detector)) {
        count('detector_not_blockable');
        return [];
      }
      const now = clock.now();
      const picked: { ip: string; family: 4 | 6 }[] = [];
      for (const raw of f.sources) {
        const a = blockableText(raw);
        if (!a) {
          count('refused_invalid');
          continue;
        }
        const why = refusal(a.ip);
        if (why) {
          count(`refused_${why}`);
          continue;
        }
        if ((blockedUntil.get(a.ip) ?? 0) > now) {
          count('already_blocked');
          continue;
        }
        if (!picked.some((p) => p.ip === a.ip)) picked.push(a);
      }
      if (picked.length === 0) return [];
      const lines = elementLines(picked);
      if (!apply) {
        if (!setUp) for (const l of [...shown(setup()), ...showRules()]) print(l);
        setUp = true;
        for (const l of shown(lines)) print(l);
        count('dry_run', picked.length);
      } else {
        const err = await run(setUp ? lines : [...setup(), ...lines], !setUp);
        if (err) {
          count('errors');
          problem(
            t('respond.problem.failed', lang, {
              program: command[command.length - 1]!,
              addresses: picked.map((p) => p.ip).join(', '),
              reason: err,
            }),
          );
          return [];
        }
        setUp = true;
        count('blocked', picked.length);
      }
      for (const p of picked) {
        blockedUntil.delete(p.ip);
        blockedUntil.set(p.ip, now + timeout * 1000);
        if (blockedUntil.size > BLOCK_MEMORY_LIMIT) blockedUntil.delete(blockedUntil.keys().next().value!);
      }
      return picked.map((p) => p.ip);
    },
  };
}

/** Seconds as nft writes durations: `1h`, `30m`, `2d`, `90s`. */
export function nftDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** An nft script line as one shell-quoted argument, for printing (`nft 'add element …'`); the text is ours, never log text. */
function quoteForDisplay(line: string): string {
  return `'${line.replace(/'/g, `'\\''`)}'`;
}

/**
 * Run a program from an argument array (no shell), optionally feeding `input` on stdin; resolves with
 * undefined on exit status 0, else one sentence (the first line of its stderr, or how it ended).
 */
export function runProgram(
  argv: string[],
  input: string | undefined,
  timeoutMs = BLOCK_COMMAND_TIMEOUT_MS,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const done = (r: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'], shell: false });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(`${argv[0]} did not finish within ${timeoutMs} ms`);
    }, timeoutMs);
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 4096) stderr += c.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => done(`cannot run ${argv[0]} (${e.code ?? e.message})`));
    child.on('close', (code) => {
      if (code === 0) return done(undefined);
      const first = stderr.split('\n').find((l) => l.trim() !== '' && !/^\s*\^+\s*$/.test(l));
      done(first ? first.trim().slice(0, 300) : `${argv[0]} ended with exit status ${code}`);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

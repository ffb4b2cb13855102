// CLI-style option values (--webhook URL, --exec CMD, --ndjson FILE, --digest 15m, --block nft --apply ...) turned into AlerterOptions.
import { readFileSync } from 'node:fs';
import { FilterError, parseSeverity } from '../../analyze/filters.js';
import type { DetectionConfig } from '../../detect/types.js';
import { type Lang, t } from '../../i18n.js';
import type { AddressClass } from '../../net/address-class.js';
import type { ResponderOptions } from '../respond.js';
import { splitCommand } from './sinks/exec.js';
import { webhookUrlProblem } from './sinks/webhook.js';
import type { AlerterOptions, SinkConfig } from './types.js';

/** The alerting flags of `fwlens watch` as typed (strings), for the command to pass on unchanged. */
export interface AlertFlags {
  /** --state-dir: queues and state (default /var/lib/fwlens under the unit). */
  stateDir: string;
  lang?: Lang;
  /** --min-severity 1-5|info|low|medium|high|critical */
  minSeverity?: string;
  /** --webhook URL (repeatable) */
  webhook?: string | string[];
  /** --webhook-header 'Authorization: Bearer …' (repeatable) */
  webhookHeader?: string | string[];
  /** --webhook-ca FILE: PEM certificates to trust for https:// webhooks (an internal CA) */
  webhookCa?: string;
  /** --exec 'CMD ARGS' (split into words, nothing expanded, no shell; repeatable) */
  exec?: string | string[];
  /** --exec-timeout 30s */
  execTimeout?: string;
  /** --ndjson FILE, or '-' for stdout (repeatable) */
  ndjson?: string | string[];
  /** --quiet: no terminal lines */
  quiet?: boolean;
  /** --digest 15m */
  digest?: string;
  /** --dedup 15m */
  dedup?: string;
  /** --block nft|ipset */
  block?: string;
  /** --apply: run the block commands instead of printing them */
  apply?: boolean;
  /** --block-severity (default high) */
  blockSeverity?: string;
  /** --block-timeout 1h */
  blockTimeout?: string;
  /** --block-allow private,cgnat: address classes that may be blocked beyond public ones */
  blockAllow?: string;
  /** The detection config: its trusted and own networks are never blocked. */
  config?: Pick<DetectionConfig, 'trustedNetworks' | 'ownNetworks' | 'ownAddresses'>;
}

const UNITS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };

/** Read a duration such as `90s`, `15m`, `1h`, `2d`, `500ms` (a bare number is seconds) into ms; throws one sentence in `lang`. */
export function parseDuration(name: string, value: string, lang: Lang = 'en'): number {
  const m = /^(\d+(?:\.\d+)?) ?(ms|s|m|h|d)?$/i.exec(value.trim());
  const ms = m ? Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]! : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(t('alert.usage.duration', lang, { name, value }));
  return ms;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const BLOCK_CLASSES: readonly AddressClass[] = [
  'private',
  'loopback',
  'link-local',
  'multicast',
  'cgnat',
  'bogon',
];

/** Turn the flags into AlerterOptions; throws one sentence (in `lang`) naming the first bad value. */
export function alerterOptionsFromFlags(flags: AlertFlags): AlerterOptions {
  const lang = flags.lang ?? 'en';
  const severity = (name: string, v: string) => {
    try {
      return parseSeverity(name, v);
    } catch (e) {
      if (e instanceof FilterError) throw new Error(t(e.key, lang, e.vars));
      throw e;
    }
  };
  const sinks: SinkConfig[] = [];
  // Each --ndjson and --exec given is a sink of its own (the last one alone was kept before, silently).
  const ndjsonFiles = [...new Set(list(flags.ndjson))];
  const ndjsonToStdout = ndjsonFiles.includes('-');
  // Terminal lines go to stderr, so stdout stays clean for --ndjson -.
  if (!flags.quiet) sinks.push({ type: 'terminal', stream: process.stderr });
  for (const file of ndjsonFiles)
    sinks.push(file === '-' ? { type: 'ndjson', stream: process.stdout } : { type: 'ndjson', path: file });
  const headers: Record<string, string> = {};
  for (const h of list(flags.webhookHeader)) {
    const i = h.indexOf(':');
    const name = i > 0 ? h.slice(0, i).trim() : '';
    if (!/^[A-Za-z0-9-]+$/.test(name)) throw new Error(t('alert.usage.header', lang, { value: h }));
    headers[name.toLowerCase()] = h.slice(i + 1).trim();
  }
  let ca: string | undefined;
  if (flags.webhookCa !== undefined)
    try {
      ca = readFileSync(flags.webhookCa, 'utf8');
    } catch (e) {
      throw new Error(t('alert.usage.ca', lang, { path: flags.webhookCa, reason: (e as Error).message }));
    }
  for (const url of list(flags.webhook)) {
    const p = webhookUrlProblem(url, lang);
    if (p) throw new Error(p);
    sinks.push({ type: 'webhook', url, headers, ...(ca !== undefined ? { ca } : {}) });
  }
  for (const command of [...new Set(list(flags.exec))]) {
    const argv = splitCommand(command, lang);
    if (argv.length === 0) throw new Error(t('alert.usage.execEmpty', lang));
    sinks.push({
      type: 'exec',
      argv,
      ...(flags.execTimeout ? { timeoutMs: parseDuration('--exec-timeout', flags.execTimeout, lang) } : {}),
    });
  }
  const opts: AlerterOptions = { stateDir: flags.stateDir, lang, sinks };
  if (flags.minSeverity !== undefined) opts.minSeverity = severity('--min-severity', flags.minSeverity);
  if (flags.digest !== undefined) opts.digestMs = parseDuration('--digest', flags.digest, lang);
  if (flags.dedup !== undefined) opts.policy = { dedupMs: parseDuration('--dedup', flags.dedup, lang) };
  if (flags.block !== undefined) {
    if (flags.block !== 'nft' && flags.block !== 'ipset')
      throw new Error(t('alert.usage.block', lang, { value: flags.block }));
    const respond: ResponderOptions = {
      backend: flags.block,
      apply: flags.apply === true,
      trustedNetworks: flags.config?.trustedNetworks ?? [],
      ownNetworks: flags.config?.ownNetworks ?? [],
      ownAddresses: flags.config?.ownAddresses ?? [],
    };
    // Dry-run commands must not mix into an NDJSON stream on stdout.
    if (ndjsonToStdout) respond.print = (line) => process.stderr.write(`${line}\n`);
    if (flags.blockSeverity !== undefined)
      respond.minSeverity = severity('--block-severity', flags.blockSeverity);
    if (flags.blockTimeout !== undefined) {
      const s = Math.round(parseDuration('--block-timeout', flags.blockTimeout, lang) / 1000);
      respond.timeoutSeconds = Math.max(1, s);
    }
    if (flags.blockAllow !== undefined) {
      const classes = flags.blockAllow.split(',').map((c) => c.trim());
      const bad = classes.find((c) => !BLOCK_CLASSES.includes(c as AddressClass));
      if (bad !== undefined)
        throw new Error(t('alert.usage.blockAllow', lang, { choices: BLOCK_CLASSES.join(', '), value: bad }));
      respond.allowClasses = classes as AddressClass[];
    }
    opts.respond = respond;
  } else if (flags.apply) throw new Error(t('alert.usage.apply', lang));
  return opts;
}

// The context options of analyze, explain and serve (`--allow-list`, `--deny-list`, `--geoip-db`,
// `--no-context`): declared once for all three; src/cli/context-enricher.ts makes them into the run's enricher.
// Light on purpose: the command line loads it before any command runs.
import type { Command } from 'commander';
import { type Lang, t } from '../i18n.js';

/** The context flags as commander hands them over. */
export interface ContextFlags {
  /** Allow-list files (trusted partners: addresses, CIDRs, AS numbers). */
  allowList?: string[];
  /** Deny-list files (known bad actors). */
  denyList?: string[];
  /** A country database (.mmdb) to use instead of the bundled one. */
  geoipDb?: string;
  /** `false` (`--no-context`): no owner, country or scanner look-ups at all. */
  context?: boolean;
}

/** Repeatable option: every value, in order (no default, so help shows none: absent is no list). */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Add the context flags to a command, in the order its help lists them. */
export function addContextOptions(command: Command, lang: Lang): Command {
  return command
    .option('--allow-list <file>', t('cli.help.analyze.allowList', lang), collect)
    .option('--deny-list <file>', t('cli.help.analyze.denyList', lang), collect)
    .option('--geoip-db <file>', t('cli.help.analyze.geoipDb', lang))
    .option('--no-context', t('cli.help.analyze.noContext', lang));
}

// The enricher of analyze, explain and serve from their context options and `--config` file: one place, so a
// severity counts the same lists and research-scanner policy whichever command shows it.
import { ContextEnricher } from '../context/enrich.js';
import { AddressLists } from '../context/lists.js';
import type { DetectionConfig } from '../detect/index.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { ContextFlags } from './context-options.js';

/**
 * The enricher of a run: the config's lists (named `<config> allowList[i]` where they hit) and the list files,
 * the country database and the config's research-scanner policy; undefined with `--no-context`. Its
 * `problems` (missing or damaged data, unreadable list files, malformed list lines) are for the caller to say.
 */
export function contextEnricher(
  kb: KnowledgeBase,
  flags: ContextFlags & { config?: string },
  config: DetectionConfig | undefined,
  now: number,
): ContextEnricher | undefined {
  if (flags.context === false) return undefined;
  const lists = new AddressLists();
  lists.addConfig(config, String(flags.config));
  for (const path of flags.allowList ?? []) lists.addFile('allow', path);
  for (const path of flags.denyList ?? []) lists.addFile('deny', path);
  return new ContextEnricher(kb, {
    lists,
    geoipDb: flags.geoipDb,
    researchScanners: config?.researchScanners,
    now,
  });
}

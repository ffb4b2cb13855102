// The `--config` option of analyze, ingest and watch: the detection config file read once at start.
import { type DetectionConfig, loadDetectionConfig } from '../detect/index.js';
import { type Lang, t } from '../i18n.js';

/**
 * The detection config at `path` (undefined when no path was given), or `false` after saying in one
 * sentence why it cannot be used (the caller then exits with its usage code).
 */
export function configOption(
  path: string | undefined,
  lang: Lang,
  say: (sentence: string) => void,
): DetectionConfig | undefined | false {
  if (!path) return undefined;
  try {
    return loadDetectionConfig(path);
  } catch (e) {
    say(t('cli.analyze.badConfig', lang, { path, error: (e as Error).message }));
    return false;
  }
}

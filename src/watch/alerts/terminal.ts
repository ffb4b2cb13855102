// The minimal alert sink: one sanitised human line per announcement (en/zh), or one ECS NDJSON line with --json.
import { countOf, t } from '../../i18n.js';
import { findingDocument } from '../../report/machine.js';
import { jsonText, visibleText } from '../../util/visible.js';
import type { AlertAnnouncement, Alerter, AlerterOptions } from './types.js';

/** The human line of an announcement, in the report's words, safe for a terminal. */
export function alertLine(a: AlertAnnouncement, lang: AlerterOptions['lang']): string {
  const f = a.finding;
  const who = f.sources.slice(0, 3).join(', ') + (f.sources.length > 3 ? ` +${f.sources.length - 3}` : '');
  const when =
    f.firstSeen !== undefined && f.timeBasis !== 'line-order'
      ? `, ${new Date(f.firstSeen).toISOString()}`
      : '';
  const trusted = f.suppressed ? ` ${t('report.trusted', lang)}` : '';
  const kind = t(a.kind === 'new' ? 'watch.alert.new' : 'watch.alert.update', lang);
  const ev = f.evidence[f.evidence.length - 1];
  const where = ev?.file !== undefined ? ` (${ev.file}:${ev.line ?? ''})` : '';
  return visibleText(
    `[${f.severity}] ${kind}: ${f.title[lang]}${trusted} — ${t('report.from', lang)} ${who}, ${countOf(f.counts.events, 'event')[lang]}${when}${where}`,
  );
}

/** An alerter writing to a stream: human lines, or NDJSON documents carrying `fwlens.alert.kind` and `.id`. */
export function createTerminalAlerter(opts: AlerterOptions): Alerter {
  const counts = { announced: 0, new: 0, update: 0, belowSeverity: 0 };
  return {
    async announce(a) {
      if (opts.minSeverity !== undefined && a.finding.severity < opts.minSeverity) {
        counts.belowSeverity++;
        return;
      }
      counts.announced++;
      counts[a.kind]++;
      if (opts.json) {
        const doc = findingDocument(a.finding, opts.lang, Date.now());
        const fw = (doc['fwlens'] ?? {}) as Record<string, unknown>;
        doc['fwlens'] = { ...fw, alert: { kind: a.kind, id: a.id } };
        opts.stdout.write(`${jsonText(doc)}\n`);
      } else opts.stdout.write(`${alertLine(a, opts.lang)}\n`);
    },
    async flush() {},
    async close() {},
    stats: () => ({ ...counts }),
  };
}

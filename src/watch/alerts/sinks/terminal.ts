// Terminal sink: one human line per alert (or digest), in English or Chinese from the catalog, log text made visible.
import { countOf, type Lang, t } from '../../../i18n.js';
import { visibleText } from '../../../util/visible.js';
import { digestText } from '../message.js';
import type { AlertMessage, ImmediateSink } from '../types.js';

/** Sources named in a terminal line; the rest are counted ("+12 more"). */
export const TERMINAL_SOURCES_SHOWN = 3;

/** The one line for an alert, without the trailing newline, safe to print (see visibleText). */
export function terminalLine(m: AlertMessage, lang: Lang): string {
  if (m.type === 'digest') return visibleText(`fwlens ${digestText(m.digest, lang)}`);
  const f = m.finding;
  const shown = f.sources.slice(0, TERMINAL_SOURCES_SHOWN).join(', ');
  const more = f.sources.length - TERMINAL_SOURCES_SHOWN;
  const sources = more > 0 ? `${shown} ${t('alert.moreSources', lang, { n: more })}` : shown || '-';
  const when =
    f.lastSeen !== undefined ? new Date(f.lastSeen).toISOString().replace('T', ' ').slice(0, 19) : '-';
  const line = t(m.kind === 'new' ? 'alert.line.new' : 'alert.line.update', lang, {
    severity: f.severity,
    level: t(`severity.${f.severity}`, lang),
    title: f.title[lang],
    sources,
    detector: f.detector,
    events: countOf(f.counts.events, 'event')[lang],
    when,
  });
  return visibleText(`fwlens ${line}`);
}

/** Writes each alert as one line to a stream (stderr by default). */
export function terminalSink(lang: Lang, stream: NodeJS.WritableStream = process.stderr): ImmediateSink {
  return {
    name: 'terminal',
    async write(m) {
      stream.write(`${terminalLine(m, lang)}\n`);
    },
    async close() {},
  };
}

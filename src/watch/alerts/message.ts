// Stable alert ids and the JSON shapes every machine sink sends: an ECS finding document or a digest document.
import { createHash } from 'node:crypto';
import type { Finding } from '../../detect/types.js';
import { ECS_VERSION } from '../../event.js';
import { type Lang, t } from '../../i18n.js';
import { DATASET, findingDocument } from '../../report/machine.js';
import type { AlertMessage, DigestSummary } from './types.js';

/** `event.dataset` of digest documents. */
export const DIGEST_DATASET = 'fwlens.alert_digest';

/**
 * The id of a finding alert: a hash of what the alert says (kind, detector, who, whom, which ports, when,
 * how bad, how many), so the same alert announced twice, or resent after a restart, carries the same id
 * and a receiver can drop the duplicate, while an update that changed anything gets a new one.
 */
export function alertId(kind: 'new' | 'update', f: Finding): string {
  const key = JSON.stringify([
    kind,
    f.detector,
    f.sources,
    f.targets,
    f.ports,
    f.transport ?? null,
    f.technique ?? null,
    f.firstSeen ?? null,
    f.lastSeen ?? null,
    f.severity,
    f.counts.events,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The id of a digest: the start of the period it covers, so a digest resent after a restart keeps its id. */
export function digestId(d: DigestSummary): string {
  return `digest-${d.from}`;
}

/**
 * The JSON document of an alert, the same for NDJSON, webhook and exec hook: for a finding the ECS finding
 * document of `analyze --ndjson` with `event.id` = the alert id and `fwlens.alert` = {id, kind}; for a digest
 * an `event.kind: "metric"` document with the counts under `fwlens.digest`.
 */
export function alertDocument(m: AlertMessage, lang: Lang): Record<string, unknown> {
  if (m.type === 'finding') {
    const doc = findingDocument(m.finding, lang, m.at);
    doc.event = { ...(doc.event as Record<string, unknown>), id: m.id };
    const alert = { id: m.id, kind: m.kind, ...(m.episode !== undefined ? { episode: m.episode } : {}) };
    doc.fwlens = { ...(doc.fwlens as Record<string, unknown>), alert };
    return doc;
  }
  const d = m.digest;
  return {
    '@timestamp': new Date(d.to).toISOString(),
    message: digestText(d, lang),
    event: {
      kind: 'metric',
      id: m.id,
      dataset: DIGEST_DATASET,
      module: 'fwlens',
      start: new Date(d.from).toISOString(),
      end: new Date(d.to).toISOString(),
      created: new Date(m.at).toISOString(),
      ...(d.maxSeverity > 0 ? { severity: d.maxSeverity } : {}),
    },
    ecs: { version: ECS_VERSION },
    fwlens: { alert: { id: m.id, kind: 'digest' }, digest: d },
  };
}

/** Whether a document is a finding (for receivers and tests): its `event.dataset`. */
export const FINDING_DATASET = DATASET.finding;

/** One line summing a digest up in `lang` (counts per detector and severity); log text is not in it except source addresses. */
export function digestText(d: DigestSummary, lang: Lang): string {
  const span = `${hhmm(d.from)}–${hhmm(d.to)}`;
  if (d.total === 0) return t('alert.digest.empty', lang, { span });
  const detectors = Object.entries(d.byDetector)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
  const severities = Object.entries(d.bySeverity)
    .sort((a, b) => Number(b[0]) - Number(a[0]))
    .map(([s, n]) => `${t(`severity.${s}` as 'severity.1', lang)} ${n}`)
    .join(', ');
  return t('alert.digest.line', lang, { span, n: d.total, detectors, severities });
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

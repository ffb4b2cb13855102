// Short words for an address's context, the same in the terminal, the CSV and the page:
// "AS15169 Google LLC, US", "documentation", "research scanner: Censys", "deny-listed".
import { type Lang, type MessageKey, t } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';
import { ASN_ATTRIBUTION_TEXT } from './asn-data.js';
import type { AddressContext } from './enrich.js';
import { COUNTRY_ATTRIBUTION_TEXT } from './geo.js';

/** The owner part: `AS15169 Google LLC`, or the special range's word (`documentation`, `private` ...). */
export function ownerText(ctx: AddressContext | undefined, lang: Lang): string {
  if (!ctx) return '';
  if (ctx.range) return t(`context.class.${ctx.range}` as MessageKey, lang);
  return ctx.as ? `AS${ctx.as.number} ${ctx.as.organization}` : '';
}

/** The labels part: research scanner, allow/deny list. */
export function labelText(ctx: AddressContext | undefined, lang: Lang): string {
  if (!ctx) return '';
  const parts: string[] = [];
  if (ctx.scanner) parts.push(`${t('context.label.research', lang)}: ${ctx.scanner.name[lang]}`);
  if (ctx.list) parts.push(t(`context.label.${ctx.list.kind}`, lang));
  return parts.join('; ');
}

/** Everything in one short line: owner, country, labels, reverse name. */
export function contextText(ctx: AddressContext | undefined, lang: Lang): string {
  if (!ctx) return '';
  return [ownerText(ctx, lang), ctx.country ?? '', labelText(ctx, lang), ctx.name ?? '']
    .filter((s) => s !== '')
    .join(', ');
}

/** A data attribution in both languages: the bundled data sets' wording from the catalog, any other as written. */
export function attributionText(attribution: string): Localized {
  for (const known of [ASN_ATTRIBUTION_TEXT, COUNTRY_ATTRIBUTION_TEXT])
    if (attribution === known.en) return known;
  return { en: attribution, zh: attribution };
}

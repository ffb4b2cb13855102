// The HTML report's words, read from the one string catalog (src/i18n.ts: `html.*`, `severity.*`, `kind.*`,
// and the text report's action and direction words), in both languages: the page embeds both and switches.
import { MESSAGES, type MessageKey, type MessageVars, tBoth } from '../../i18n.js';
import type { Localized } from '../../knowledge/schema.js';

/** Key of a fixed page text (`html.<key>` in the catalog). */
export type UiKey = MessageKey extends infer K ? (K extends `html.${infer Rest}` ? Rest : never) : never;

/** Entries of the catalog under a prefix, keyed without it. */
function section<K extends string>(prefix: string): Record<K, Localized> {
  const out: Record<string, Localized> = {};
  for (const [key, text] of Object.entries(MESSAGES))
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = text;
  return out as Record<K, Localized>;
}

/** Fixed texts of the page, by key. */
export const UI: Record<UiKey, Localized> = section<UiKey>('html.');

/** Words for severities 1-5. */
export const SEVERITY_WORDS: Record<number, Localized> = section<string>('severity.');

/** What the firewall did, as words (the text report's words). */
export const ACTION_WORDS: Record<string, Localized> = section<string>('report.action.');

/** Direction words (the text report's words). */
export const DIRECTION_WORDS: Record<string, Localized> = section<string>('report.direction.');

/** Knowledge kinds of the glossary, as words. */
export const KIND_WORDS: Record<string, Localized> = section<string>('kind.');

/** A page text with {name} placeholders filled in both languages (the catalog's one filler). */
export function fill(key: UiKey, vars: MessageVars): Localized {
  return tBoth(`html.${key}` as MessageKey, vars);
}

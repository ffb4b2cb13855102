// Damaged-line reasons worded through the catalog: a parse error keeps its English text (the report's `reason`,
// stable in JSON) and carries the catalog key and values, which the report words again in Chinese.
import { type Message, type MessageKey, type MessageVars, t, tBoth } from '../i18n.js';
import type { ParseError } from './types.js';

/** A parse error whose reason is the catalog message `key` with `vars` filled. */
export function damaged(key: MessageKey, vars?: MessageVars): ParseError {
  return { error: t(key, 'en', vars), reason: vars ? { key, vars } : { key } };
}

/** A parse error's reason in English and Chinese, or undefined when the format gave it as English text only. */
export function reasonText(e: ParseError): Message | undefined {
  return e.reason ? tBoth(e.reason.key, e.reason.vars) : undefined;
}

/**
 * A parse error's reason in both languages, for a reason that quotes another (`packet 3: <why>`): the catalog
 * wording when it has one, else its English text in both.
 */
export function reasonOf(e: ParseError): Message {
  return reasonText(e) ?? { en: e.error, zh: e.error };
}

/** `source` / `destination` in both languages, for reasons that name a side of a flow. */
export function sideWord(side: 'source' | 'destination'): Message {
  return tBoth(side === 'source' ? 'parse.side.source' : 'parse.side.destination');
}

// `fwlens serve`: the local, read-only web console over the store, until Ctrl-C (or the signal given).
import type { Lang } from '../i18n.js';
import { t } from '../i18n.js';
import { knowledgeBase } from '../knowledge/index.js';
import { isHostName, isLoopback, ListenError, startConsole } from '../serve/server.js';
import { storePath } from '../store/path.js';
import { StoreError } from '../store/types.js';
import { configOption } from './config-option.js';
import { contextEnricher } from './context-enricher.js';
import type { ContextFlags } from './context-options.js';
import { storeExitCode } from './ingest.js';
import { type CliIo, EXIT } from './main.js';
import { say as sayTo } from './say.js';

/** Default port of the console. */
export const DEFAULT_SERVE_PORT = 8080;

/** Shortest --token accepted, and the characters it may hold (URL-safe, so `?token=` needs no escaping). */
export const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

/** Flags of `fwlens serve`; the context flags and `--config` are those of analyze, for the explanations. */
export interface ServeCliOptions extends ContextFlags {
  store?: string;
  host?: string;
  port?: number;
  token?: string;
  /** Config file (YAML) whose allow and deny lists and research-scanner policy the explanations count. */
  config?: string;
  lang: Lang;
}

/** Run `fwlens serve` until `stop` resolves (SIGINT or SIGTERM by default); returns the exit code. */
export async function runServe(opts: ServeCliOptions, io: CliIo, stop?: Promise<void>): Promise<number> {
  const lang = opts.lang;
  const say = (s: string) => sayTo(io.stderr, s);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? DEFAULT_SERVE_PORT;
  if (!isHostName(host)) {
    say(t('serve.badHost', lang, { host }));
    return EXIT.usage;
  }
  if (opts.token !== undefined && !TOKEN_PATTERN.test(opts.token)) {
    say(t('serve.shortToken', lang));
    return EXIT.usage;
  }
  if (!isLoopback(host) && opts.token === undefined) {
    say(t('serve.needToken', lang, { host }));
    return EXIT.usage;
  }
  const config = configOption(opts.config, lang, say);
  if (config === false) return EXIT.usage;
  // Made before the console listens, so what it lacks (ASN or country data, a list file) is said at start,
  // as analyze says it, and not found out later from explanations without owners.
  const context = contextEnricher(knowledgeBase(), opts, config, Date.now()) ?? null;
  for (const p of context?.problems ?? []) say(p[lang]);
  const path = storePath(opts.store, io.env ?? process.env);
  let running: Awaited<ReturnType<typeof startConsole>>;
  try {
    running = await startConsole({
      storePath: path,
      host,
      port,
      lang,
      context,
      ...(opts.token === undefined ? {} : { token: opts.token }),
    });
  } catch (e) {
    if (e instanceof StoreError) {
      say(e.text[lang]);
      return storeExitCode(e);
    }
    if (e instanceof ListenError) {
      say(
        e.code === 'EADDRINUSE'
          ? t('serve.portInUse', lang, { host, port })
          : t('serve.listenFailed', lang, { host, port, error: e.message }),
      );
      return EXIT.inputError;
    }
    throw e;
  }
  io.stdout.write(`${t('serve.listening', lang, { url: running.url })}\n`);
  // A check that cannot be made (the file busy) leaves the console as it is.
  if ((await running.pendingSummaries().catch(() => 0)) > 0) say(t('store.pendingSummaries', lang, { path }));
  await (stop ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }));
  await running.close();
  return EXIT.ok;
}

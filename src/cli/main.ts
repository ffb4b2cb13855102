// Command-line front door: parses flags with commander and lazy-loads each command so `explain` starts fast.
import { Command, CommanderError, Help, Option } from 'commander';
import { type Lang, langFromEnv, type MessageKey, t } from '../i18n.js';
import { packageVersion } from '../util/package-root.js';
import { visibleText } from '../util/visible.js';
import type { AnalyzeOptions } from './analyze.js';
import { addContextOptions } from './context-options.js';
import type { ExplainOptions } from './explain.js';
import type { IngestCliOptions } from './ingest.js';
import type { QueryCliOptions } from './query.js';
import { say } from './say.js';
import type { ServeCliOptions } from './serve.js';
import type { WatchOptions } from './watch.js';

/** Exit codes a script can rely on. */
export const EXIT = {
  /** Everything worked. */
  ok: 0,
  /** An input could not be read or held no firewall log. */
  inputError: 1,
  /** Wrong flags or arguments. */
  usage: 2,
  /** A report file (--html, --csv) could not be written; the report itself was still printed. */
  outputError: 3,
  /** A finding reached the severity given with --fail-on. */
  failOn: 4,
} as const;

/** Smallest and largest `--max-line-bytes`: every real log line fits 256 bytes' reach, and 1 GiB bounds memory. */
const MIN_LINE_CAP_BYTES = 256;
const MAX_LINE_CAP_BYTES = 1 << 30;

/** Streams the CLI writes to (injected by tests). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
}

function parseIntOption(name: string, min: number, max: number, lang: Lang = 'en') {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new CommanderError(
        EXIT.usage,
        'fwlens.badOption',
        t('cli.usage.wholeNumber', lang, { name, min, max, value }),
      );
    }
    return n;
  };
}

/** Parse `--workers`: 1-4 threads, or `auto`. */
export function parseWorkers(value: string, lang: Lang = 'en'): number | 'auto' {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 4)
    throw new CommanderError(EXIT.usage, 'fwlens.badOption', t('cli.usage.workers', lang, { value }));
  return n;
}

/**
 * Parse `--tz`: a fixed offset ("+08:00", "-0500", "UTC") as minutes east of UTC, or an IANA zone name
 * ("Europe/Berlin", "Asia/Shanghai") as its canonical name, whose daylight-saving changes Intl knows.
 */
export function parseTimeZone(value: string, lang: Lang = 'en'): number | string {
  if (/^(utc|z|gmt)$/i.test(value)) return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(value);
  if (m && Number(m[2]) <= 14 && Number(m[3] ?? 0) <= 59)
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  if (!m && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value))
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      // Not a zone this Node knows: the sentence below.
    }
  throw new CommanderError(EXIT.usage, 'fwlens.badOption', t('cli.usage.tz', lang, { value }));
}

/**
 * The output language, read before commander runs so help and flag errors are translated too:
 * `--lang zh` / `--lang=zh` anywhere in argv, else LC_ALL / LC_MESSAGES / LANG.
 */
export function langFromArgv(argv: string[], env: NodeJS.ProcessEnv): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v === 'en' || v === 'zh') return v;
  }
  return langFromEnv(env);
}

/**
 * Make a failed write to this process's standard output end the run: EPIPE (a reader that stopped
 * early, `fwlens ... | head`) quietly, any other error (ENOSPC, a full disk) with one sentence and exit code 1.
 * Called by bin/fwlens.js before `run`.
 */
export function guardStdout(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    say(process.stderr, t('cli.stdoutFailed', langFromArgv(argv, env), { error: e.message }));
    process.exit(EXIT.inputError);
  });
}

/** A commander error message in the chosen language (English keeps commander's own words), without the `fwlens: ` prefix. */
export function translateCommanderError(e: CommanderError, raw: string, lang: Lang): string {
  const text = raw.replace(/^error: /, '').trim();
  if (lang === 'en') return text;
  // commander error code -> pattern of its English message -> our message with the captured parts.
  const known: [string, RegExp, MessageKey, string[]][] = [
    ['commander.unknownOption', /unknown option '([^']+)'/, 'cli.usage.unknownOption', ['option']],
    ['commander.unknownCommand', /unknown command '([^']+)'/, 'cli.usage.unknownCommand', ['command']],
    ['commander.missingArgument', /argument '([^']+)'/, 'cli.usage.missingArgument', ['argument']],
    ['commander.optionMissingArgument', /option '([^']+)'/, 'cli.usage.optionMissingArgument', ['option']],
    [
      'commander.invalidArgument',
      /option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+?)\.?$/m,
      'cli.usage.invalidChoice',
      ['option', 'value', 'choices'],
    ],
    [
      'commander.excessArguments',
      /Expected (\d+) arguments? but got (\d+)/,
      'cli.usage.excessArguments',
      ['expected', 'got'],
    ],
  ];
  let out = t('cli.usage.other', lang, { error: text.split('\n')[0]! });
  for (const [code, re, key, names] of known) {
    const m = code === e.code ? re.exec(text) : null;
    if (m) out = t(key, lang, Object.fromEntries(names.map((name, i) => [name, m[i + 1]!])));
  }
  // Anchored at the one place it can start, so the search does not retry from every `(Did you mean`.
  const at = text.indexOf('(Did you mean ');
  const suggestion = at < 0 ? null : /^\(Did you mean (?:one of )?(.+)\?\)/.exec(text.slice(at));
  if (suggestion) out += ` ${t('cli.usage.didYouMean', lang, { suggestion: suggestion[1]! })}`;
  return out;
}

/**
 * Run the CLI with the given arguments (without `node fwlens`). Returns the exit code; never throws
 * for user mistakes: they get one sentence on stderr, in the language of --lang or the locale.
 */
export async function run(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const env = io.env ?? process.env;
  const lang = langFromArgv(argv, env);
  let code: number = EXIT.ok;
  let commanderMessage = '';
  const program = buildProgram(lang, {
    io,
    env,
    setCode: (c) => {
      code = c;
    },
    onError: (s) => {
      commanderMessage += s;
    },
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return EXIT.ok;
      if (e.code === 'fwlens.badOption') say(io.stderr, e.message);
      else say(io.stderr, translateCommanderError(e, commanderMessage || e.message, lang));
      return EXIT.usage;
    }
    const err = e as Error;
    say(io.stderr, t('cli.unexpected', lang, { error: err.message }));
    if (env.FWLENS_DEBUG) io.stderr.write(`${visibleText(String(err.stack), { keepNewlines: true })}\n`);
    return EXIT.inputError;
  }
  return code;
}

/** What the commands' actions need when they run (absent when the program is only described: completion, man page). */
interface ProgramRuntime {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  setCode(code: number): void;
  onError(text: string): void;
}

/** The exit codes as help text, one per line (every command's --help ends with them). */
function exitCodesHelp(lang: Lang): string {
  const h = (key: MessageKey) => t(key, lang);
  return [
    h('cli.help.exitCodes'),
    `  0  ${h('cli.help.exit.ok')}`,
    `  1  ${h('cli.help.exit.inputError')}`,
    `  2  ${h('cli.help.exit.usage')}`,
    `  3  ${h('cli.help.exit.outputError')}`,
    `  4  ${h('cli.help.exit.failOn')}`,
  ].join('\n');
}

/** Examples of a command as help text. */
function examplesHelp(lang: Lang, lines: [string, MessageKey][]): string {
  const width = Math.max(...lines.map(([cmd]) => cmd.length));
  return [
    t('cli.help.examples', lang),
    ...lines.map(([cmd, key]) => `  ${cmd.padEnd(width)}  # ${t(key, lang)}`),
  ].join('\n');
}

/**
 * The whole command line: commands, arguments, options with their help in `lang`, examples and exit codes.
 * `run` executes it; `fwlens completion` and the man page describe it, so all three come from here.
 */
export function buildProgram(lang: Lang, rt?: ProgramRuntime): Command {
  const h = (key: MessageKey) => t(key, lang);
  const langOption = () => new Option('--lang <lang>', h('cli.help.lang')).choices(['en', 'zh']);
  const io = rt?.io ?? { stdout: process.stdout, stderr: process.stderr };
  const setCode = (c: number) => rt?.setCode(c);
  const program = new Command('fwlens')
    .description(h('cli.help.program'))
    .version(packageVersion(), '-V, --version', h('cli.help.version'))
    .helpOption('-h, --help', h('cli.help.help'))
    .helpCommand('help [command]', h('cli.help.helpCommand'))
    .configureHelp(localizedHelp(lang))
    .addOption(langOption())
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(visibleText(s, { keepNewlines: true })),
      // Errors are held back and written translated once the CommanderError arrives in `run`.
      outputError: (s) => rt?.onError(s),
    })
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens analyze /var/log/kern.log', 'cli.help.example.analyze'],
        ['fwlens explain 31337', 'cli.help.example.explainPort'],
        ['fwlens formats', 'cli.help.example.formats'],
      ])}\n\n${exitCodesHelp(lang)}`,
    );

  const explain = program
    .command('explain')
    .description(h('cli.help.explain'))
    .argument('<query...>', h('cli.help.explain.query'))
    .option('--source', h('cli.help.explain.source'))
    .option('--json', h('cli.help.explain.json'));
  addContextOptions(explain, lang)
    .option('--config <file>', h('cli.help.contextConfig'))
    .addOption(langOption())
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens explain 31337', 'cli.help.example.explainPort'],
        ['fwlens explain 6970/udp --lang zh', 'cli.help.example.explainProto'],
        ['fwlens explain 53 --source', 'cli.help.example.explainSource'],
        ["fwlens explain '<log line>'", 'cli.help.example.explainLine'],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (query: string[], opts: Omit<ExplainOptions, 'lang'> & { lang?: Lang }) => {
      const { runExplain } = await import('./explain.js');
      setCode(await runExplain(query.join(' '), { ...opts, lang }, io));
    });

  const analyze = program
    .command('analyze')
    .description(h('cli.help.analyze'))
    .argument('[inputs...]', h('cli.help.analyze.inputs'))
    .option('--format <id>', h('cli.help.analyze.format'), 'auto')
    .option('--mapping <file>', h('cli.help.analyze.mapping'))
    .option('--json', h('cli.help.analyze.json'))
    .option('--ndjson', h('cli.help.analyze.ndjson'))
    .option('--csv <file>', h('cli.help.analyze.csv'))
    .option('--html <file>', h('cli.help.analyze.html'))
    .addOption(langOption())
    .option('--top <n>', h('cli.help.analyze.top'), parseIntOption('--top', 1, 1000, lang), 10)
    .option('--year <year>', h('cli.help.analyze.year'), parseIntOption('--year', 1970, 9999, lang))
    .option('--workers <n>', h('cli.help.analyze.workers'), (v: string) => parseWorkers(v, lang), 'auto')
    .option('--config <file>', h('cli.help.analyze.config'))
    .option('--tz <zone>', h('cli.help.analyze.tz'), (v: string) => parseTimeZone(v, lang))
    .option(
      '--max-line-bytes <n>',
      h('cli.help.analyze.maxLineBytes'),
      parseIntOption('--max-line-bytes', MIN_LINE_CAP_BYTES, MAX_LINE_CAP_BYTES, lang),
    )
    .option('--since <time>', h('cli.help.analyze.since'))
    .option('--until <time>', h('cli.help.analyze.until'))
    .option('--src <cidrs>', h('cli.help.analyze.src'))
    .option('--dst <cidrs>', h('cli.help.analyze.dst'))
    .option('--port <ports>', h('cli.help.analyze.port'))
    .option('--action <actions>', h('cli.help.analyze.action'))
    .option('--min-severity <severity>', h('cli.help.analyze.minSeverity'))
    .option('--fail-on <severity>', h('cli.help.analyze.failOn'));
  addContextOptions(analyze, lang)
    .option('--rdns', h('cli.help.analyze.rdns'))
    .option('--rdns-cache <file>', h('cli.help.analyze.rdnsCache'))
    .option('--store [path]', h('cli.help.analyze.store'))
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens analyze examples/sample.log', 'cli.help.example.analyze'],
        ['fwlens analyze --html report.html kern.log.1 kern.log.2.gz', 'cli.help.example.analyzeHtml'],
        ['journalctl -k -o json | fwlens analyze -', 'cli.help.example.analyzeStdin'],
        ['fwlens analyze --since 24h --port 22,3389 kern.log', 'cli.help.example.analyzeFilter'],
        ['fwlens analyze --fail-on high kern.log', 'cli.help.example.analyzeFailOn'],
        ['fwlens analyze --store --since 30d', 'cli.help.example.analyzeStore'],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (inputs: string[], opts: AnalyzeCliOptions) => {
      const { runAnalyze } = await import('./analyze.js');
      setCode(await runAnalyze(inputs, { ...opts, lang }, { ...io, env: rt?.env ?? process.env }));
    });

  program
    .command('watch')
    .description(h('cli.help.watch'))
    .argument('[sources...]', h('cli.help.watch.sources'))
    .addOption(
      new Option('--from <where>', h('cli.help.watch.from')).choices(['start', 'end']).default('end'),
    )
    .option('--state-dir <dir>', h('cli.help.watch.stateDir'))
    .option('--format <id>', h('cli.help.analyze.format'), 'auto')
    .option('--tz <zone>', h('cli.help.analyze.tz'), (v: string) => parseTimeZone(v, lang))
    .option('--year <year>', h('cli.help.analyze.year'), parseIntOption('--year', 1970, 9999, lang))
    .addOption(langOption())
    .option('--min-severity <severity>', h('cli.help.watch.minSeverity'))
    .option('--json', h('cli.help.watch.json'))
    .option('--status', h('cli.help.watch.status'))
    .option('--config <file>', h('cli.help.analyze.config'))
    .option('--poll <ms>', h('cli.help.watch.poll'), parseIntOption('--poll', 10, 60_000, lang), 1000)
    .option(
      '--max-line-bytes <n>',
      h('cli.help.analyze.maxLineBytes'),
      parseIntOption('--max-line-bytes', MIN_LINE_CAP_BYTES, MAX_LINE_CAP_BYTES, lang),
    )
    .option('--listen <url>', h('cli.help.watch.listen'), (v: string, prev: string[] = []) => [...prev, v])
    .option('--tls-cert <file>', h('cli.help.watch.tlsCert'))
    .option('--tls-key <file>', h('cli.help.watch.tlsKey'))
    .option('--journal', h('cli.help.watch.journal'))
    .option('--store [path]', h('cli.help.watch.store'))
    .option(
      '--store-every <seconds>',
      h('cli.help.watch.storeEvery'),
      parseIntOption('--store-every', 1, 3600, lang),
    )
    .option(
      '--store-batch <events>',
      h('cli.help.watch.storeBatch'),
      parseIntOption('--store-batch', 1, 10_000_000, lang),
    )
    .option('--store-memory <size>', h('cli.help.watch.storeMemory'))
    .option('--keep <age>', h('cli.help.watch.keep'))
    .option('--max-size <size>', h('cli.help.watch.maxSize'))
    .option(
      '--store-wait <seconds>',
      h('cli.help.watch.storeWait'),
      parseIntOption('--store-wait', 0, 3600, lang),
    )
    .option(
      '--store-hold <seconds>',
      h('cli.help.watch.storeHold'),
      parseIntOption('--store-hold', 1, 3600, lang),
    )
    .option('--webhook <url>', h('cli.help.watch.webhook'), (v: string, prev: string[] = []) => [...prev, v])
    .option(
      '--webhook-header <header>',
      h('cli.help.watch.webhookHeader'),
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--webhook-ca <file>', h('cli.help.watch.webhookCa'))
    .option('--exec <command>', h('cli.help.watch.exec'), (v: string, prev: string[] = []) => [...prev, v])
    .option('--exec-timeout <duration>', h('cli.help.watch.execTimeout'))
    .option('--ndjson <file>', h('cli.help.watch.ndjson'), (v: string, prev: string[] = []) => [...prev, v])
    .option('--quiet', h('cli.help.watch.quiet'))
    .option('--digest <duration>', h('cli.help.watch.digest'))
    .option('--dedup <duration>', h('cli.help.watch.dedup'))
    .option('--block <backend>', h('cli.help.watch.block'))
    .option('--apply', h('cli.help.watch.apply'))
    .option('--block-severity <severity>', h('cli.help.watch.blockSeverity'))
    .option('--block-timeout <duration>', h('cli.help.watch.blockTimeout'))
    .option('--block-allow <classes>', h('cli.help.watch.blockAllow'))
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens watch /var/log/kern.log', 'cli.help.example.watchFile'],
        ['fwlens watch --journal', 'cli.help.example.watchJournal'],
        ['fwlens watch --listen udp://127.0.0.1:5514', 'cli.help.example.watchSyslog'],
        ['fwlens watch --status', 'cli.help.example.watchStatus'],
        ['fwlens watch /var/log/kern.log --store', 'cli.help.example.watchStore'],
        ['fwlens watch /var/log/kern.log --store --keep 90d', 'cli.help.example.watchKeep'],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (sources: string[], opts: WatchCliOptions) => {
      const { runWatch } = await import('./watch.js');
      setCode(await runWatch(sources, { ...opts, lang }, { ...io, env: rt?.env ?? process.env }));
    });

  program
    .command('ingest')
    .description(h('cli.help.ingest'))
    .argument('<inputs...>', h('cli.help.ingest.inputs'))
    .option('--store <path>', h('cli.help.store'))
    .option('--keep <age>', h('cli.help.ingest.keep'))
    .option('--max-size <size>', h('cli.help.ingest.maxSize'))
    .option('--wait <seconds>', h('cli.help.ingest.wait'), parseIntOption('--wait', 0, 86400, lang), 60)
    .option('--no-detect', h('cli.help.ingest.noDetect'))
    .option('--format <id>', h('cli.help.analyze.format'), 'auto')
    .option('--mapping <file>', h('cli.help.analyze.mapping'))
    .option('--year <year>', h('cli.help.analyze.year'), parseIntOption('--year', 1970, 9999, lang))
    .option('--tz <zone>', h('cli.help.analyze.tz'), (v: string) => parseTimeZone(v, lang))
    .option(
      '--max-line-bytes <n>',
      h('cli.help.analyze.maxLineBytes'),
      parseIntOption('--max-line-bytes', MIN_LINE_CAP_BYTES, MAX_LINE_CAP_BYTES, lang),
    )
    .option('--config <file>', h('cli.help.analyze.config'))
    .addOption(langOption())
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens ingest /var/log/kern.log', 'cli.help.example.ingest'],
        ['fwlens ingest --keep 90d /var/log/kern.log*', 'cli.help.example.ingestKeep'],
        ['fwlens ingest --max-size 2GB /var/log/kern.log', 'cli.help.example.ingestMaxSize'],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (inputs: string[], opts: Omit<IngestCliOptions, 'lang'>) => {
      const { runIngest } = await import('./ingest.js');
      setCode(await runIngest(inputs, { ...opts, lang }, { ...io, env: rt?.env ?? process.env }));
    });

  const query = program
    .command('query')
    .description(h('cli.help.query'))
    .argument('[what...]', h('cli.help.query.what'))
    .option('--store <path>', h('cli.help.store'))
    .option('--sql <query>', h('cli.help.query.sql'))
    .option('--json', h('cli.help.query.json'))
    .option('--csv', h('cli.help.query.csv'))
    .option('--by <key>', h('cli.help.query.by'), 'src')
    .option('--since <time>', h('cli.help.query.since'))
    .option('--limit <n>', h('cli.help.query.limit'), parseIntOption('--limit', 1, 100000, lang), 10);
  // The context of `query ip` (its findings' severities, who is behind the address) as analyze counts it.
  addContextOptions(query, lang)
    .option('--config <file>', h('cli.help.contextConfig'))
    .addOption(langOption())
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens query ip 203.0.113.7', 'cli.help.example.queryIp'],
        ['fwlens query top --by src --since 7d', 'cli.help.example.queryTop'],
        ["fwlens query --sql 'SELECT count(*) FROM events_v'", 'cli.help.example.querySql'],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (what: string[], opts: Omit<QueryCliOptions, 'lang'>) => {
      const { runQuery } = await import('./query.js');
      setCode(await runQuery(what, { ...opts, lang }, { ...io, env: rt?.env ?? process.env }));
    });

  const serve = program
    .command('serve')
    .description(h('cli.help.serve'))
    .option('--store <path>', h('cli.help.store'))
    .option('--host <address>', h('cli.help.serve.host'), '127.0.0.1')
    .option('--port <n>', h('cli.help.serve.port'), parseIntOption('--port', 0, 65535, lang), 8080)
    .option('--token <secret>', h('cli.help.serve.token'));
  addContextOptions(serve, lang)
    .option('--config <file>', h('cli.help.contextConfig'))
    .addOption(langOption())
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens serve', 'cli.help.example.serve'],
        ['fwlens serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"', 'cli.help.example.serveLan'],
        ['fwlens serve --allow-list partners.txt --deny-list bad.txt', 'cli.help.example.serveLists'],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (opts: Omit<ServeCliOptions, 'lang'>) => {
      const { runServe } = await import('./serve.js');
      setCode(await runServe({ ...opts, lang }, { ...io, env: rt?.env ?? process.env }));
    });

  program
    .command('formats')
    .description(h('cli.help.formats'))
    .option('--json', h('cli.help.formats.json'))
    .addOption(langOption())
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['fwlens formats', 'cli.help.example.formats'],
        ['fwlens formats --json', 'cli.help.example.formatsJson'],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (opts: { json?: boolean }) => {
      const { runFormats } = await import('./formats.js');
      setCode(runFormats({ ...opts, lang }, io));
    });

  program
    .command('completion')
    .description(h('cli.help.completion'))
    .argument('<shell>', h('cli.help.completion.shell'))
    .addHelpText(
      'after',
      `\n${examplesHelp(lang, [
        ['source <(fwlens completion bash)', 'cli.help.example.completionBash'],
        [
          'fwlens completion fish > ~/.config/fish/completions/fwlens.fish',
          'cli.help.example.completionFish',
        ],
      ])}\n\n${exitCodesHelp(lang)}`,
    )
    .action(async (shell: string) => {
      const { runCompletion } = await import('./completion.js');
      setCode(runCompletion(shell, lang, io));
    });

  return program;
}

/** Help layout hooks that put the fixed words of commander's help (Usage:, choices:) in `lang`. */
function localizedHelp(lang: Lang): Partial<Help> {
  if (lang === 'en') return {};
  const titles: Record<string, MessageKey> = {
    'Usage:': 'cli.help.title.usage',
    'Options:': 'cli.help.title.options',
    'Commands:': 'cli.help.title.commands',
    'Arguments:': 'cli.help.title.arguments',
    'Global Options:': 'cli.help.title.globalOptions',
  };
  const extras = (s: string) =>
    s
      .replace(/\(choices: /, `(${t('cli.help.choices', lang)} `)
      .replace(/([(,] )default: /, `$1${t('cli.help.default', lang)} `)
      .replace(/\(default: /, `(${t('cli.help.default', lang)} `);
  return {
    styleTitle: (str: string) => (titles[str] ? t(titles[str]!, lang) : str),
    optionDescription: (option: Option) => extras(Help.prototype.optionDescription.call(new Help(), option)),
  };
}

/** Flags of `fwlens watch` as commander hands them over. */
export type WatchCliOptions = Omit<WatchOptions, 'lang'> & { lang?: 'en' | 'zh' };

/** Flags of `fwlens analyze` as commander hands them over. */
export type AnalyzeCliOptions = Omit<AnalyzeOptions, 'lang'> & { lang?: 'en' | 'zh' };

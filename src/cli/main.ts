// Command-line front door: parses flags with commander and lazy-loads each command so `explain` starts fast.
import { Command, CommanderError, Option } from 'commander';

/** Exit codes a script can rely on. */
export const EXIT = {
  /** Everything worked. */
  ok: 0,
  /** An input could not be read or held no firewall log. */
  inputError: 1,
  /** Wrong flags or arguments. */
  usage: 2,
  /** A finding reached the severity given with --fail-on. */
  failOn: 4,
} as const;

/** Streams the CLI writes to (injected by tests). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
}

function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new CommanderError(
        EXIT.usage,
        'fwlens.badOption',
        `${name} must be a whole number from ${min} to ${max}, not "${value}"`,
      );
    }
    return n;
  };
}

/** Parse "+08:00", "-0500", "UTC" into minutes east of UTC. */
export function parseUtcOffset(value: string): number {
  if (/^(utc|z|gmt)$/i.test(value)) return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(value);
  if (!m || Number(m[2]) > 14 || Number(m[3] ?? 0) > 59)
    throw new CommanderError(
      EXIT.usage,
      'fwlens.badOption',
      `--tz must look like +08:00, -0500 or UTC, not "${value}"`,
    );
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function langOption(): Option {
  return new Option('--lang <lang>', 'language of the output (default: from LANG / LC_ALL)').choices([
    'en',
    'zh',
  ]);
}

/**
 * Run the CLI with the given arguments (without `node fwlens`). Returns the exit code; never throws
 * for user mistakes: they get one sentence on stderr.
 */
export async function run(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const env = io.env ?? process.env;
  let code: number = EXIT.ok;
  const program = new Command('fwlens')
    .description('Firewall-log forensics: what am I seeing, and should I worry?')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? `fwlens: ${s.slice(7)}` : s),
    });

  program
    .command('explain')
    .description('explain a port (31337, 6970/udp), a source port (53 --source) or a whole log line')
    .argument('<query...>', 'port, port/proto, or a quoted log line')
    .option('--source', 'explain the number as a SOURCE port (what it says about the sender)')
    .option('--json', 'print the explanation as JSON')
    .addOption(langOption())
    .action(async (query: string[], opts: { source?: boolean; json?: boolean; lang?: 'en' | 'zh' }) => {
      const [{ runExplain }, { langFromEnv }] = await Promise.all([
        import('./explain.js'),
        import('../i18n.js'),
      ]);
      code = await runExplain(
        query.join(' '),
        { source: opts.source, json: opts.json, lang: opts.lang ?? langFromEnv(env) },
        io,
      );
    });

  program
    .command('analyze')
    .description('read firewall logs (files, .gz, or - for stdin) and report what is going on')
    .argument('<inputs...>', 'log files, .gz files, or - for standard input')
    .option(
      '--format <id>',
      'log format id, or auto to detect per file and line (see `fwlens formats`)',
      'auto',
    )
    .option(
      '--mapping <file>',
      'mapping file (YAML) for --format mapped: which CSV column or JSON key is which field',
    )
    .option('--json', 'print the report as one JSON document')
    .option('--html <file>', 'also write a self-contained HTML report (charts, tables, both languages)')
    .addOption(langOption())
    .option('--top <n>', 'rows in each top-N table', parseIntOption('--top', 1, 1000), 10)
    .option(
      '--year <year>',
      'year the log ends in, for syslog stamps without a year (default: from the file date)',
      parseIntOption('--year', 1970, 9999),
    )
    .option('--config <file>', 'detection config (YAML): trusted networks, own addresses, thresholds')
    .option('--tz <offset>', 'time zone of stamps that carry none, e.g. +08:00 (default UTC)', parseUtcOffset)
    .action(async (inputs: string[], opts: AnalyzeCliOptions) => {
      const [{ runAnalyze }, { langFromEnv }] = await Promise.all([
        import('./analyze.js'),
        import('../i18n.js'),
      ]);
      code = await runAnalyze(inputs, { ...opts, lang: opts.lang ?? langFromEnv(env) }, io);
    });

  program
    .command('formats')
    .description('list the log formats fwlens reads, with an example line each')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { runFormats } = await import('./formats.js');
      code = runFormats(opts, io);
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
      if (e.code === 'fwlens.badOption') io.stderr.write(`fwlens: ${e.message}\n`);
      return EXIT.usage;
    }
    const err = e as Error;
    io.stderr.write(`fwlens: unexpected failure: ${err.message}\n`);
    if (env.FWLENS_DEBUG) io.stderr.write(`${err.stack}\n`);
    return EXIT.inputError;
  }
  return code;
}

/** Flags of `fwlens analyze` as commander hands them over. */
export interface AnalyzeCliOptions {
  format: string;
  mapping?: string;
  json?: boolean;
  html?: string;
  lang?: 'en' | 'zh';
  top: number;
  year?: number;
  tz?: number;
  config?: string;
}

// The man page (docs/fwlens.1), written from the command definitions (buildProgram) like --help and completion.
import type { Command } from 'commander';
import { t } from '../i18n.js';
import { buildProgram } from './main.js';

/** roff text: backslashes, leading dots and quotes escaped; hyphens kept as minus signs. */
function roff(s: string): string {
  return s
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

/** The --help epilogue of a command (its examples and exit codes) as printed text. */
function epilogue(c: Command): string {
  let text = '';
  c.configureOutput({ writeOut: (s) => (text += s), writeErr: () => {} });
  c.outputHelp();
  return text.slice(text.indexOf('Examples:'));
}

/** Render the man page of fwlens in English (section 1). */
export function renderManPage(version: string): string {
  const program = buildProgram('en');
  const commands = program.commands.filter((c) => c.name() !== 'help');
  const out: string[] = [
    `.TH FWLENS 1 "" "fwlens ${roff(version)}" "User Commands"`,
    '.SH NAME',
    `fwlens \\- ${roff(program.description())}`,
    '.SH SYNOPSIS',
    ...commands.map((c) => `.B fwlens ${c.name()}\n${roff(c.usage())}\n.br`),
    '.SH DESCRIPTION',
    roff(program.description()),
  ];
  for (const c of commands) {
    out.push(`.SH ${c.name().toUpperCase()}`, roff(c.description()));
    for (const a of c.registeredArguments) out.push(`.TP\n.I ${roff(a.name())}\n${roff(a.description)}`);
    for (const o of c.options) {
      const extra = o.defaultValue !== undefined ? ` (default: ${String(o.defaultValue)})` : '';
      out.push(`.TP\n.B ${roff(o.flags)}\n${roff(o.description + extra)}`);
    }
    const examples = epilogue(c)
      .split('\n')
      .filter((l) => l.startsWith('  ') && l.includes('#') && !/^\s+\d\s/.test(l));
    if (examples.length) out.push('.PP\nExamples:', '.nf', ...examples.map((l) => roff(l.trim())), '.fi');
  }
  out.push(
    '.SH EXIT STATUS',
    ...(
      [
        [0, 'cli.help.exit.ok'],
        [1, 'cli.help.exit.inputError'],
        [2, 'cli.help.exit.usage'],
        [3, 'cli.help.exit.outputError'],
        [4, 'cli.help.exit.failOn'],
      ] as const
    ).map(([n, key]) => `.TP\n.B ${n}\n${roff(t(key, 'en'))}`),
    '.SH SEE ALSO',
    'The README, docs/formats.md, docs/detection\\-config.md and docs/api.md in the fwlens package.',
    '',
  );
  return out.join('\n');
}

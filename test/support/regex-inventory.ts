// Finds every regular expression in src/ (literals and constant `RegExp(...)` constructions) for the ReDoS test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** One regular expression found in the source: where it is, its pattern and flags. */
export interface FoundRegex {
  /** `src/formats/x.ts:12` (1-based line). */
  where: string;
  source: string;
  flags: string;
}

/** A `RegExp(...)` construction whose pattern the scanner could not fold into one constant string. */
export interface DynamicRegex {
  where: string;
  /** The source text of the first argument. */
  text: string;
}

/** Every non-test `.ts` file under `dir`, as paths relative to `root`. */
export function sourceFiles(root: string, dir = 'src'): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(join(root, d), { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Folds an expression into a constant string: string literals, templates and `+` of constants, and identifiers
 * bound to a `const` of this file whose initialiser folds too. Undefined when any part is not constant.
 */
function fold(
  node: ts.Expression,
  consts: Map<string, ts.Expression>,
  seen = new Set<string>(),
): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return fold(node.expression, consts, seen);
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    for (const span of node.templateSpans) {
      const part = fold(span.expression, consts, seen);
      if (part === undefined) return undefined;
      out += part + span.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = fold(node.left, consts, seen);
    const right = left === undefined ? undefined : fold(node.right, consts, seen);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  if (ts.isIdentifier(node) && !seen.has(node.text)) {
    const init = consts.get(node.text);
    return init ? fold(init, consts, new Set([...seen, node.text])) : undefined;
  }
  return undefined;
}

/** Top-level `const NAME = <expr>` declarations of a file. */
function topLevelConsts(file: ts.SourceFile): Map<string, ts.Expression> {
  const consts = new Map<string, ts.Expression>();
  for (const stmt of file.statements) {
    if (!ts.isVariableStatement(stmt) || !(stmt.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of stmt.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.initializer) consts.set(d.name.text, d.initializer);
  }
  return consts;
}

/**
 * Every regular expression of the given files: each `/literal/`, and each `new RegExp(x, f)` / `RegExp(x, f)`
 * whose arguments fold into constants. Constructions that do not fold are returned as `dynamic`, so a caller
 * can fail on any it does not know: no construction is skipped silently.
 */
export function findRegexes(root: string, files: string[]): { found: FoundRegex[]; dynamic: DynamicRegex[] } {
  const found: FoundRegex[] = [];
  const dynamic: DynamicRegex[] = [];
  for (const rel of files) {
    const text = readFileSync(join(root, rel), 'utf8');
    const file = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const consts = topLevelConsts(file);
    const where = (node: ts.Node) =>
      `${rel}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const t = node.text;
        const end = t.lastIndexOf('/');
        found.push({ where: where(node), source: t.slice(1, end), flags: t.slice(end + 1) });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'RegExp'
      ) {
        const [patternArg, flagsArg] = node.arguments ?? [];
        const source = patternArg && fold(patternArg, consts);
        const flags = flagsArg ? fold(flagsArg, consts) : '';
        if (source === undefined || flags === undefined)
          dynamic.push({ where: where(node), text: patternArg?.getText(file) ?? '' });
        else found.push({ where: where(node), source, flags });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { found, dynamic };
}

/**
 * True when a pattern repeats something without bound (`*`, `+`, `{n,}`) outside character classes. A pattern
 * without one tries a bounded number of paths from each start, so it matches in linear time by construction.
 */
export function hasUnboundedRepetition(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '*' || c === '+') return true;
    else if (c === '{' && /^\{\d+,\}/.test(source.slice(i))) return true;
  }
  return false;
}

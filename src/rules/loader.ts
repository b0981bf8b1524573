// Loads detection rules in the upstream elastic/detection-rules TOML format
// from a file or a folder, validates them, and compiles their EQL queries.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TomlError, parse as parseToml } from 'smol-toml';
import { CompileError, compileQuery } from '../compile/compiler.js';
import type { CompileOptions } from '../compile/types.js';
import { EqlSyntaxError } from '../eql/errors.js';
import { parseQuery } from '../eql/parser.js';
import { parseInterval, toMetadata, toRuleDefinition } from './definition.js';
import { RuleLoadError } from './errors.js';
import type { Rule } from './types.js';

export { RuleLoadError } from './errors.js';

/** A rule file larger than this is refused (the seed rule is about 4 KiB). */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;

/**
 * The folder of rules shipped with the package. From `dist/rules/` (built) the
 * TOML files stay in `src/rules/bundled/`, which the package also ships.
 */
const besideModule = fileURLToPath(new URL('./bundled/', import.meta.url));
export const bundledRulesDir: string = existsSync(besideModule)
  ? besideModule
  : fileURLToPath(new URL('../../src/rules/bundled/', import.meta.url));

/**
 * Loads one `.toml` rule file, or every `*.toml` file below a folder (recursively,
 * in path order). Default: the bundled rules. Rejects with a RuleLoadError naming
 * the file (and line:column where known) for the first bad file; a rule_id
 * defined twice is an error.
 */
export async function loadRules(path: string = bundledRulesDir, opts?: CompileOptions): Promise<Rule[]> {
  const files = await ruleFiles(path);

  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const { rule, text } = await loadRuleFile(file, opts);
    checkUniqueRuleId(seen, rule, text);
    rules.push(rule);
  }
  return rules;
}

/** Records `rule`'s rule_id in `seen` (rule_id → file); a RuleLoadError when an earlier file defined it. */
export function checkUniqueRuleId(seen: Map<string, string>, rule: Rule, text: string): void {
  const first = seen.get(rule.rule.rule_id);
  if (first !== undefined) {
    const pos = keyPosition(text, 'rule', 'rule_id');
    throw new RuleLoadError(rule.file, `duplicate rule_id "${rule.rule.rule_id}" (already defined in ${first})`, pos?.line, pos?.column);
  }
  seen.set(rule.rule.rule_id, rule.file);
}

async function loadRuleFile(file: string, opts?: CompileOptions): Promise<{ rule: Rule; text: string }> {
  const { bytes, text } = await readRuleFile(file);
  return { rule: buildRule(text, file, sha256(bytes), opts), text };
}

/** Validates and compiles one rule from TOML text; `file` is used in messages and kept on the rule. */
export function loadRuleText(toml: string, file: string, opts?: CompileOptions): Rule {
  return buildRule(toml, file, sha256(Buffer.from(toml, 'utf8')), opts);
}

function buildRule(text: string, file: string, hash: string, opts?: CompileOptions): Rule {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (e) {
    if (e instanceof TomlError) {
      // smol-toml's message is "<what>\n\n<code excerpt>"; we show both, the position first.
      const [detail = e.message] = e.message.split('\n\n');
      throw new RuleLoadError(file, detail.replace(/^Invalid TOML document: /, 'invalid TOML: '), e.line, e.column, e.codeblock.trimEnd());
    }
    throw e;
  }

  const fail = (key: string, detail: string): never => {
    const [section = '', ...rest] = key.split('.');
    const pos = keyPosition(text, section, topLevelKey(rest.join('.')));
    throw new RuleLoadError(file, rest.length === 0 ? detail : `[${section}] ${rest.join('.')}: ${detail}`, pos?.line, pos?.column, undefined, key);
  };
  const metadata = toMetadata(doc['metadata'], fail);
  const rule = toRuleDefinition(doc['rule'], fail);

  let query;
  let compiled;
  try {
    query = parseQuery(rule.query);
    compiled = compileQuery(query, opts);
  } catch (e) {
    if (e instanceof EqlSyntaxError) throw queryError(e, text, file);
    const pos = e instanceof CompileError && e.span ? queryPositionInFile(text, e.span.line, e.span.column) : keyPosition(text, 'rule', 'query');
    throw new RuleLoadError(file, `query: ${e instanceof Error ? e.message : String(e)}`, pos?.line, pos?.column, undefined, 'rule.query');
  }
  return {
    metadata,
    rule,
    query,
    compiled,
    file,
    sha256: hash,
    intervalMs: parseInterval(rule.interval) as number,
  };
}

/** Re-states a query syntax error at its position in the TOML file. */
function queryError(e: EqlSyntaxError, text: string, file: string): RuleLoadError {
  const pos = queryPositionInFile(text, e.line, e.column);
  // format() starts with the query-relative "line:col: message"; keep only its source line and caret.
  const excerpt = e.format().split('\n').slice(1).join('\n');
  return new RuleLoadError(file, `query: ${e.message}`, pos?.line, pos?.column, excerpt, 'rule.query');
}

/** A position inside the `[rule] query` string (1-based) as a position in the rule file's text. */
export function queryPositionInFile(text: string, line: number, column: number): { line: number; column: number } | undefined {
  const start = queryStart(text);
  if (!start) return undefined;
  return { line: start.line + line - 1, column: line === 1 ? start.column + column - 1 : column };
}

/** The `[rule] query` string of a rule file, when the TOML parses and has one (for lint, whatever else is wrong). */
export function ruleQueryText(text: string): string | undefined {
  try {
    const rule = parseToml(text)['rule'];
    const query = rule !== null && typeof rule === 'object' ? (rule as Record<string, unknown>)['query'] : undefined;
    return typeof query === 'string' ? query : undefined;
  } catch {
    return undefined;
  }
}

/** The text of one rule file, bounded and checked as UTF-8. */
export async function readRuleFile(file: string): Promise<{ bytes: Buffer; text: string }> {
  const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new RuleLoadError(file, `cannot read: ${e.code ?? e.message}`);
  });
  if (bytes.length > MAX_RULE_FILE_BYTES) {
    throw new RuleLoadError(file, `file is larger than ${MAX_RULE_FILE_BYTES} bytes`);
  }
  try {
    return { bytes, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw new RuleLoadError(file, 'not valid UTF-8');
  }
}

/**
 * Where the query's first character sits in the file (1-based). Exact for the
 * upstream layout (a multi-line literal string `'''`); for basic strings with
 * escapes the column can be off, the line stays right unless a `\` joins lines.
 */
function queryStart(text: string): { line: number; column: number } | undefined {
  const pos = keyPosition(text, 'rule', 'query');
  if (!pos) return undefined;
  const lineText = text.split('\n')[pos.line - 1] ?? '';
  const eq = lineText.indexOf('=', pos.column - 1);
  let col = eq + 1;
  while (lineText[col] === ' ' || lineText[col] === '\t') col++;
  const quote = lineText.startsWith("'''", col) || lineText.startsWith('"""', col) ? 3 : 1;
  const rest = lineText.slice(col + quote);
  // A newline right after a multi-line opening delimiter is not part of the string.
  if (quote === 3 && rest.trim() === '') return { line: pos.line + 1, column: 1 };
  return { line: pos.line, column: col + quote + 1 };
}

// A table header on a line of its own (not a markdown link inside a string). Linear: no nested quantifiers.
const TABLE_HEADER = /^\[\[?[A-Za-z0-9_.\-" ]+\]\]?\s*(#.*)?$/;

/** `threat[0].tactic.id` → `threat`: the key we can find on a line of its own. */
function topLevelKey(path: string): string {
  const [first = ''] = path.split('.');
  return first.replace(/\[.*$/, '');
}

/**
 * 1-based line and column where `key = …` (or a `[[section.key]]` / `[section.key]`
 * header) appears in `[section]`; the section header when the key is absent.
 * A plain line scan: TOML parsers do not report positions of values.
 */
function keyPosition(text: string, section: string, key: string): { line: number; column: number } | undefined {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => l.trim() === `[${section}]`);
  if (header < 0) return undefined;
  let inSubTable = false;
  for (let i = header + 1; i < lines.length && key !== ''; i++) {
    const line = lines[i] as string;
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    const here = { line: i + 1, column: indent + 1 };
    if (TABLE_HEADER.test(body)) {
      if (body.startsWith(`[[${section}.${key}]]`) || body.startsWith(`[${section}.${key}]`)) return here;
      if (!body.startsWith(`[${section}.`) && !body.startsWith(`[[${section}.`)) break;
      inSubTable = true;
    } else if (!inSubTable && body.startsWith(key) && body.slice(key.length).trimStart().startsWith('=')) {
      return here;
    }
  }
  return { line: header + 1, column: 1 };
}

/** The rule files at `path`: the file itself, or every `*.toml` below the folder in path order. */
export async function ruleFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new RuleLoadError(path, `cannot read rules: ${e.code ?? e.message}`);
  });
  if (!info.isDirectory() && !info.isFile()) throw new RuleLoadError(path, 'not a regular file or a folder');
  const files = info.isDirectory() ? await tomlFilesBelow(path) : [path];
  if (files.length === 0) throw new RuleLoadError(path, 'no *.toml rule files in this folder');
  return files;
}

async function tomlFilesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await tomlFilesBelow(full)));
    else if (entry.isFile() && entry.name.endsWith('.toml')) files.push(full);
  }
  return files;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

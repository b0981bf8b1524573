// `eql-stream lint`: rule files (or a query given inline) checked the way a
// detection engineer needs before a rule ships: everything that stops the rule
// from loading, plus the lint findings of its query, each at its place in the file.
import { parseArgs } from 'node:util';
import { derivedFields } from '../inputs/normalise.js';
import { lintSource, type LintFinding } from '../lint/lint.js';
import { checkUniqueRuleId, loadRuleText, queryPositionInFile, readRuleFile, RuleLoadError, ruleFiles, ruleQueryText } from '../rules/loader.js';

export const LINT_USAGE = `usage: eql-stream lint [--strict] RULE... | eql-stream lint --query "EQL"
  RULE            a detection-rules TOML file, or a folder of them
  --query TEXT    lint an EQL query instead of rule files
  --strict        warnings fail too
Prints file:line:column: severity [code] message for each finding.
Exit status: 0 clean (or warnings only), 1 errors (or warnings with --strict), 2 bad usage or an unreadable path.`;

interface Counted {
  errors: number;
  warnings: number;
}

export async function lintCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { query: { type: 'string' }, strict: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
  } catch (e) {
    process.stderr.write(`eql-stream lint: ${(e as Error).message}\n${LINT_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${LINT_USAGE}\n`);
    return 0;
  }
  if ((values.query === undefined) === (positionals.length === 0)) {
    process.stderr.write(`eql-stream lint: give rule files or --query, not both or neither\n${LINT_USAGE}\n`);
    return 2;
  }

  const counted: Counted = { errors: 0, warnings: 0 };
  let files = 0;
  let unreadable = false;
  if (values.query !== undefined) {
    report('query', values.query, lintSource(values.query), counted);
  } else {
    const ruleIds = new Map<string, string>();
    for (const path of positionals) {
      let paths: string[];
      try {
        paths = await ruleFiles(path);
      } catch (e) {
        printError(e, counted);
        unreadable = true;
        continue;
      }
      for (const file of paths) {
        files++;
        await lintFile(file, counted, ruleIds);
      }
    }
  }
  const where = values.query !== undefined ? 'the query' : `${files} rule file${files === 1 ? '' : 's'}`;
  process.stdout.write(`${counted.errors} error(s), ${counted.warnings} warning(s) in ${where}\n`);
  if (unreadable) return 2;
  return counted.errors > 0 || (values.strict && counted.warnings > 0) ? 1 : 0;
}

/** Lints one rule file; `ruleIds` (rule_id → file) catches a rule_id that two files define, as loading would. */
async function lintFile(file: string, counted: Counted, ruleIds: Map<string, string>): Promise<void> {
  let text: string;
  try {
    ({ text } = await readRuleFile(file));
  } catch (e) {
    printError(e, counted);
    return;
  }
  let loadError: RuleLoadError | undefined;
  try {
    checkUniqueRuleId(ruleIds, loadRuleText(text, file, { derivedFields }), text);
  } catch (e) {
    if (!(e instanceof RuleLoadError)) throw e;
    loadError = e;
  }
  const query = ruleQueryText(text);
  const findings = query === undefined ? [] : lintSource(query);
  // A query that does not parse is reported by lint with every recoverable error; the loader's
  // single message about it would repeat the first one.
  const queryErrorShown = loadError?.key === 'rule.query' && findings.some((f) => f.severity === 'error');
  if (loadError && !queryErrorShown) printError(loadError, counted);
  report(file, text, findings.map((f) => ({ ...f, ...(queryPositionInFile(text, f.line, f.column) ?? {}) })), counted);
}

/** Each finding as `where:line:col: severity [code] message`, then its source line with a caret under the spot. */
function report(where: string, source: string, findings: readonly LintFinding[], counted: Counted): void {
  const lines = source.split('\n');
  for (const f of findings) {
    if (f.severity === 'error') counted.errors++;
    else counted.warnings++;
    const line = (lines[f.line - 1] ?? '').replace(/\r$/, '');
    process.stdout.write(`${where}:${f.line}:${f.column}: ${f.severity} [${f.code}] ${f.message}\n  ${line}\n  ${' '.repeat(Math.max(0, f.column - 1))}^\n`);
  }
}

function printError(e: unknown, counted: Counted): void {
  if (!(e instanceof RuleLoadError)) throw e;
  counted.errors++;
  process.stdout.write(`${e.where}: error [rule-file] ${e.detail}\n${e.excerpt ? `${e.excerpt}\n` : ''}`);
}

// Cross-checks our EQL parser against the Python `eql` package (the parser
// Elastic's detection-rules repository uses), with an independent grammar:
// for each query Q, eql must read Q, our canonical print of Q, and our fully
// parenthesised print of Q as the same tree. A difference means our parser or
// printer groups something differently from eql. Infix arithmetic is left out:
// we print it as add()/multiply() calls, which eql renders differently (its
// grouping is covered by the unit tests). Not part of npm test (needs Python);
// run: bash scripts/eql-crosscheck/run.sh
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { EventQuery, Expr } from '../../src/eql/ast.js';
import { parseQuery } from '../../src/eql/parser.js';
import { printQuery } from '../../src/eql/print.js';

const python = process.argv[2] ?? 'python3';
const here = fileURLToPath(new URL('.', import.meta.url));
const rule = readFileSync(new URL('../../../shared/reference/rule.md', import.meta.url), 'utf8');
const seed = /## The query[^\n]*\n```\n([\s\S]*?)\n```/.exec(rule)![1]!;

const conditions = [
  'a and b or c', 'a or b and c', 'not a and b', 'not a or b and not c', 'not (a or b) and c',
  'a == 1 and b != "x" or c < 2 and d >= 3', 'not a == 1', 'a : "x*" and not b : ("y", "z") or c like~ "q?"',
  'a in ("x", "y") or b not in (1, 2) and c in~ ("Z")', 'startsWith~(a, "x") and endsWith(b, "y") or stringContains(c, "z")',
  'length(a) > 3 and indexOf(a, "x") == 0', 'a == -1.5',
  '((a)) and ((b or c))', 'a and (b and (c or d))', '?a.b == 1', '`my field`.x : "y"', 'a regex~ "x.*"',
  'between(a, "x", "y") == "z"', 'concat(a, b, "c") : "x*"', 'cidrMatch(source.ip, "10.0.0.0/8", "172.16.0.0/12")',
  'a == """C:\\x"""', 'a : "C:\\\\Windows\\\\*"', 'not (not a or b)', 'a == true or b == null',
];
const queries = [seed, ...conditions.map((c) => `process where ${c}`)];

const fullyParenthesised = (e: Expr): Expr => {
  switch (e.kind) {
    case 'literal':
    case 'field':
      return e;
    case 'not':
      return { ...e, operand: fullyParenthesised(e.operand), parenthesized: true };
    case 'and':
    case 'or':
      return { ...e, operands: e.operands.map(fullyParenthesised), parenthesized: true };
    case 'compare':
      return { ...e, left: fullyParenthesised(e.left), right: fullyParenthesised(e.right), parenthesized: true };
    case 'match':
      return { ...e, left: fullyParenthesised(e.left), parenthesized: true };
    case 'in':
      return { ...e, left: fullyParenthesised(e.left), values: e.values.map(fullyParenthesised), parenthesized: true };
    case 'call':
      return { ...e, args: e.args.map(fullyParenthesised), parenthesized: true };
  }
};

const texts: string[] = [];
for (const q of queries) {
  const ast: EventQuery = parseQuery(q);
  texts.push(q, printQuery(ast), printQuery({ ...ast, condition: fullyParenthesised(ast.condition) }));
}
const out = execFileSync(python, [`${here}parse_with_eql.py`], { input: JSON.stringify(texts), encoding: 'utf8' });
const verdicts = JSON.parse(out) as { ok: boolean; text?: string; error?: string }[];

let agree = 0;
const disagreements: string[] = [];
for (let i = 0; i < queries.length; i++) {
  const [original, printed, full] = verdicts.slice(3 * i, 3 * i + 3) as [typeof verdicts[0], typeof verdicts[0], typeof verdicts[0]];
  const same = original.ok && printed.ok && full.ok && original.text === printed.text && original.text === full.text;
  if (same) agree++;
  else disagreements.push(`${queries[i]}\n  original: ${JSON.stringify(original)}\n  printed:  ${JSON.stringify(printed)}\n  full:     ${JSON.stringify(full)}`);
}
console.log(`${agree} of ${queries.length} queries read identically by eql in original, canonical and fully parenthesised form`);
for (const d of disagreements) console.log(d);
process.exitCode = disagreements.length === 0 ? 0 : 1;

// Lint for EQL detection queries: findings a detection engineer should see
// before a rule ships. Every check is sound for ECS data: a finding names
// something that is a bug or can never match, not a matter of style.

import type { EventQuery, Expr, FieldRef, Literal, Span } from '../eql/ast.js';
import { CompileError, compileQuery } from '../compile/compiler.js';
import { textView, WildcardPattern } from '../compile/wildcard.js';
import { EqlSyntaxError } from '../eql/errors.js';
import { parseQuery } from '../eql/parser.js';
import { ECS_VERSION, ecsAllowedValues, ecsIgnoreAbove, ecsType, isEcsField, similarEcsFields } from './ecs.js';

export interface LintFinding {
  readonly severity: 'error' | 'warning';
  readonly code: LintCode;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export type LintCode =
  | 'syntax'
  | 'invalid-query'
  | 'unknown-function'
  | 'no-case-insensitive-variant'
  | 'wrong-arity'
  | 'mixed-and-or'
  | 'literal-wildcard'
  | 'self-comparison'
  | 'extension-with-dot'
  | 'exceeds-ignore-above'
  | 'non-ecs-value'
  | 'non-ecs-field';

/**
 * Lints query text: every recoverable parse error (unknown function, `~` on a
 * function without a case-insensitive variant, wrong arity) plus all findings
 * of lintQuery; a syntax error that stops the parser is reported as one finding.
 */
export function lintSource(source: string): LintFinding[] {
  const findings: LintFinding[] = [];
  const fromError = (e: EqlSyntaxError): LintFinding => ({
    severity: 'error',
    code: e.code as LintCode,
    message: e.message,
    line: e.line,
    column: e.column,
  });
  try {
    const q = parseQuery(source, { recover: (e) => findings.push(fromError(e)) });
    findings.push(...lintQuery(q));
    // What parses can still fail to compile (an invalid or oversized regular expression): the loader would refuse it.
    if (findings.every((f) => f.severity !== 'error')) {
      try {
        compileQuery(q);
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        const at = e.span ?? q.span;
        findings.push({ severity: 'error', code: 'invalid-query', message: e.message, line: at.line, column: at.column });
      }
    }
  } catch (e) {
    if (!(e instanceof EqlSyntaxError)) throw e;
    findings.push(fromError(e));
  }
  return sortFindings(findings);
}

/** Lints a parsed query. */
export function lintQuery(q: EventQuery): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (severity: LintFinding['severity'], code: LintCode, message: string, span: Span): void => {
    findings.push({ severity, code, message, line: span.line, column: span.column });
  };

  if (q.category !== null) {
    const categories = ecsAllowedValues('event.category') ?? [];
    if (!categories.includes(q.category)) {
      add('warning', 'non-ecs-value', `'${q.category}' is not an ECS event.category (ECS ${ECS_VERSION} has ${categories.join(', ')})`, q.span);
    }
  }

  const reportedFields = new Set<string>();
  const checkField = (f: FieldRef): void => {
    if (f.optional || reportedFields.has(f.name) || isEcsField(f.name)) return;
    reportedFields.add(f.name);
    const similar = similarEcsFields(f.name);
    const hint = similar.length > 0 ? `; did you mean ${similar.join(' or ')}?` : `; write ?${f.name} if it is a custom field that may be missing`;
    add('warning', 'non-ecs-field', `'${f.name}' is not an ECS ${ECS_VERSION} field${hint}`, f.span);
  };

  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'literal':
        return;
      case 'field':
        return checkField(e);
      case 'not':
        return visit(e.operand);
      case 'and':
      case 'or':
        if (e.kind === 'or') {
          for (const o of e.operands) {
            if (o.kind === 'and' && !o.parenthesized) {
              add(
                'warning',
                'mixed-and-or',
                `'and' mixed with 'or' without parentheses: 'and' binds tighter, so this reads as (… and …) or …; add parentheses to show the intended grouping`,
                o.span,
              );
            }
          }
        }
        return e.operands.forEach(visit);
      case 'compare':
        checkComparison(e.op, e.left, e.right, add);
        visit(e.left);
        visit(e.right);
        return;
      case 'match': {
        visit(e.left);
        if (e.left.kind === 'field' && e.op !== 'regex') {
          for (const p of e.patterns) if (p.kind === 'literal') checkPattern(e.left, p, e.op, add);
          checkAllowedValues(e.left, e.patterns, e.caseInsensitive, true, add);
        }
        return;
      }
      case 'in': {
        visit(e.left);
        e.values.forEach(visit);
        const what = `${e.negated ? 'not in' : 'in'}${e.caseInsensitive ? '~' : ''}`;
        for (const v of e.values) {
          if (v.kind === 'literal' && typeof v.value === 'string') checkLiteralWildcard(what, v, add);
        }
        if (e.left.kind === 'field') {
          for (const v of e.values) checkExact(e.left, v, add);
          if (!e.negated) checkAllowedValues(e.left, e.values, e.caseInsensitive, false, add);
        }
        return;
      }
      case 'call':
        return e.args.forEach(visit);
    }
  };
  visit(q.condition);
  return sortFindings(findings);
}

type Add = (severity: LintFinding['severity'], code: LintCode, message: string, span: Span) => void;

function checkComparison(op: string, left: Expr, right: Expr, add: Add): void {
  if (left.kind === 'field' && right.kind === 'field' && left.name === right.name) {
    const always = op === '==' || op === '<=' || op === '>=';
    add(
      'warning',
      'self-comparison',
      `'${left.name}' is compared with itself: ${always ? 'true whenever the field is present' : 'this can never match'}`,
      left.span,
    );
  }
  if (op !== '==' && op !== '!=') return;
  const [field, value] = left.kind === 'field' ? [left, right] : right.kind === 'field' ? [right, left] : [undefined, undefined];
  if (value?.kind === 'literal' && typeof value.value === 'string') checkLiteralWildcard(op, value, add);
  if (field && value && op === '==') {
    checkExact(field, value, add);
    checkAllowedValues(field, [value], false, false, add);
  }
}

/** `==` / `in` against "C:\\*": the star is a literal character there. */
function checkLiteralWildcard(op: string, value: Literal, add: Add): void {
  const s = value.value as string;
  const chars = [s.includes('*') ? "'*'" : '', s.includes('?') ? "'?'" : ''].filter(Boolean).join(' and ');
  if (chars === '') return;
  add(
    'warning',
    'literal-wildcard',
    `'${op}' compares exactly: ${chars} in ${JSON.stringify(s)} ${chars.includes(' and ') ? 'are literal characters' : 'is a literal character'}, not a wildcard; use ':' (or like) for wildcard matching`,
    value.span,
  );
}

/** An exact value for a field: must fit the field's ECS shape. */
function checkExact(field: FieldRef, value: Expr, add: Add): void {
  if (value.kind !== 'literal' || typeof value.value !== 'string') return;
  checkExtension(field, value.value.includes('.'), value, add);
  checkIgnoreAbove(field, value.value.length, value, add);
}

/** A wildcard pattern (`:` or like) for a field. */
function checkPattern(field: FieldRef, pattern: Literal, op: string, add: Add): void {
  if (typeof pattern.value !== 'string') return;
  const p = pattern.value;
  // Every character other than '*' stands for exactly one character of a matching value.
  const minLength = p.length - countOf(p, '*');
  checkExtension(field, p.includes('.'), pattern, add);
  checkIgnoreAbove(field, minLength, pattern, add, op);
}

function checkExtension(field: FieldRef, needsDot: boolean, at: Literal, add: Add): void {
  if (!needsDot || !field.name.endsWith('.extension') || ecsType(field.name) === undefined) return;
  add(
    'warning',
    'extension-with-dot',
    `can never match: ECS ${field.name} holds the extension without a dot ("aspx", not ".aspx"), but ${JSON.stringify(at.value)} requires one`,
    at.span,
  );
}

function checkIgnoreAbove(field: FieldRef, minLength: number, at: Literal, add: Add, op = '=='): void {
  const limit = ecsIgnoreAbove(field.name);
  if (limit === undefined || minLength <= limit) return;
  const what = op === '==' ? 'this value has' : 'every value matching this pattern has';
  add(
    'warning',
    'exceeds-ignore-above',
    `can never match in Elasticsearch: ${what} more than ${limit} characters, and ECS maps ${field.name} with ignore_above ${limit}, so such values are not indexed`,
    at.span,
  );
}

/** Values of event.category, event.type, event.kind and event.outcome must be ones ECS allows. */
function checkAllowedValues(field: FieldRef, values: readonly Expr[], caseInsensitive: boolean, wildcard: boolean, add: Add): void {
  const allowed = ecsAllowedValues(field.name);
  if (!allowed) return;
  for (const v of values) {
    if (v.kind !== 'literal' || typeof v.value !== 'string') continue;
    const pattern = v.value;
    const matcher = wildcard ? WildcardPattern.parse(pattern, caseInsensitive) : WildcardPattern.literal([pattern], caseInsensitive);
    const ok = allowed.some((a) => matcher.matches(textView(a)));
    if (!ok) {
      add('warning', 'non-ecs-value', `can never match ECS data: ${JSON.stringify(pattern)} is not an allowed ${field.name} value (${allowed.join(', ')})`, v.span);
    }
  }
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

function sortFindings(findings: LintFinding[]): LintFinding[] {
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

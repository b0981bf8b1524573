// AST → matcher. Each condition node becomes a closure over per-event slots
// (fields resolved once, lazily); `and`/`or` operands run cheapest first and
// short-circuit. Semantics follow Elasticsearch's translation of EQL into
// queries (docs/semantics.md):
// - a predicate on a field with literal operands is a Lucene query: two-valued,
//   true when any value of the field satisfies it, false when the field is
//   missing, and `not` of it is `must_not` (so a missing field satisfies it);
// - anything else (functions, field-to-field comparisons) is a script with
//   null propagation: a null result never matches, also under `not`.
import { printExpr as describe } from '../eql/print.js';
import type { ComparisonOperator, EventQuery, Expr, FieldRef, FunctionCall, Literal, Span } from '../eql/ast.js';
import { compareCodePoints, equalsIgnoringCase, isAscii } from './casefold.js';
import { EvalContext, FieldTable, keywordOf, type Leaf, type Slot } from './fields.js';
import { ARITY, callFunction, type Value } from './functions.js';
import { createPrefilter, queryLiterals, unionLiterals } from './prefilter.js';
import { LuceneRegex, RegexUnsupportedError } from './regex.js';
import type { CompileOptions, CompiledQuery, CompiledQuerySet, PlanStep } from './types.js';
import { textView, WildcardPattern } from './wildcard.js';

/** A query that parses but cannot be compiled; `span` is the innermost expression at fault, when known. */
export class CompileError extends Error {
  override readonly name = 'CompileError';
  constructor(message: string, readonly span?: Span) {
    super(message);
  }
}

/** Re-throws a compile problem inside `e` with `e`'s place, unless an inner expression already gave one. */
function located<T>(e: Expr, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof CompileError && err.span) throw err;
    if (err instanceof CompileError || err instanceof RegexUnsupportedError) throw new CompileError(err.message, e.span);
    throw err;
  }
}

export const DEFAULT_IGNORE_ABOVE = 1024;
const CATEGORY_FIELD = 'event.category';

type Test = (ctx: EvalContext) => boolean;
type Eval = (ctx: EvalContext) => Value;

interface Node {
  readonly test: Test;
  readonly cost: number;
  readonly step: PlanStep;
  /** Fields read, in evaluation order. */
  readonly fields: readonly string[];
  /** A negation: almost always true, so it runs after the other operands of an `and`. */
  readonly negation?: boolean;
}

// Relative costs that order `and`/`or` operands: hash lookups and exact
// comparisons first, wildcard scans next, regular expressions and scripts last.
const COST = { constant: 0, exact: 1, range: 2, wildcard: 3, prefix: 2, regex: 20, script: 10 } as const;

/** Is the expression evaluated as a script (null-propagating) rather than a query? */
function isScript(e: Expr): boolean {
  switch (e.kind) {
    case 'literal':
    case 'and':
    case 'or':
      return false;
    case 'field':
      return true;
    case 'not':
      return isScript(e.operand);
    case 'compare':
      return !((e.left.kind === 'field' && e.right.kind === 'literal') || (e.left.kind === 'literal' && e.right.kind === 'field'));
    case 'match':
      return e.left.kind !== 'field' || !e.patterns.every((p) => p.kind === 'literal');
    case 'in':
      return e.left.kind !== 'field' || !e.values.every((v) => v.kind === 'literal');
    case 'call':
      return queryFunction(e) === undefined;
  }
}

/** Functions Elasticsearch turns into queries when applied to a field and literals. */
function queryFunction(e: FunctionCall): { field: FieldRef; literals: string[] } | undefined {
  const [first, ...rest] = e.args;
  if (first?.kind !== 'field' || rest.length === 0) return undefined;
  if (!rest.every((a) => a.kind === 'literal' && typeof a.value === 'string')) return undefined;
  const literals = rest.map((a) => (a as Literal).value as string);
  if (e.name === 'cidrMatch') return { field: first, literals };
  if ((e.name === 'startsWith' || e.name === 'endsWith' || e.name === 'stringContains') && rest.length === 1) {
    return { field: first, literals };
  }
  return undefined;
}

const FLIP: Record<ComparisonOperator, ComparisonOperator> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** A leaf as a numeric field would index it (numeric strings are coerced), or undefined. */
function numericOf(v: Leaf): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return undefined;
}

/** A leaf as a boolean field indexes it, as 0/1, or undefined. */
function booleanOf(v: Leaf): number | undefined {
  if (v === true || v === 'true') return 1;
  if (v === false || v === 'false') return 0;
  return undefined;
}

function rangeHolds(op: ComparisonOperator, c: number): boolean {
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return c === 0;
  }
}

/** Equality of a value against a set of literals, as a `term`/`terms` query (case-insensitive for `in~` and `:`). */
class ExactMatcher {
  private readonly strings = new Set<string>();
  /** Non-ASCII literals under case-insensitivity: compared code point by code point. */
  private readonly unicode: string[] = [];
  private readonly numbers = new Set<number>();
  private readonly booleans = new Set<boolean>();

  constructor(
    values: readonly Leaf[],
    private readonly caseInsensitive: boolean,
  ) {
    for (const v of values) {
      if (typeof v === 'number') this.numbers.add(v);
      else if (typeof v === 'boolean') this.booleans.add(v);
      else if (caseInsensitive && !isAscii(v)) this.unicode.push(v);
      else this.strings.add(caseInsensitive ? v.toLowerCase() : v);
    }
  }

  get size(): number {
    return this.strings.size + this.unicode.length + this.numbers.size + this.booleans.size;
  }

  matches(slot: Slot): boolean {
    const values = slot.values;
    if (values.length === 0) return false;
    if (this.caseInsensitive) {
      const views = slot.textViews();
      for (let i = 0; i < views.length; i++) {
        const view = views[i]!;
        if (view.asciiLower !== undefined && this.strings.has(view.asciiLower)) return true;
        if (this.unicode.length > 0 && this.unicodeHit(view.text)) return true;
        if (this.typedHit(values[i]!)) return true;
      }
      return false;
    }
    for (const v of values) {
      if (this.strings.has(typeof v === 'string' ? v : String(v)) || this.typedHit(v)) return true;
    }
    return false;
  }

  private typedHit(v: Leaf): boolean {
    if (this.numbers.size > 0) {
      const n = numericOf(v);
      if (n !== undefined && this.numbers.has(n)) return true;
    }
    if (this.booleans.size > 0) {
      if (typeof v === 'boolean') return this.booleans.has(v);
      if (v === 'true' || v === 'false') return this.booleans.has(v === 'true');
    }
    return false;
  }

  private unicodeHit(text: string): boolean {
    return this.unicode.some((lit) => equalsIgnoringCase(lit, text));
  }
}

/** The first doc value, as a script sees a field: doc values are sorted, so the smallest. */
function docValue(slot: Slot): Value {
  const values = slot.values;
  if (values.length === 0) return null;
  if (values.length === 1) return values[0]!;
  if (values.every((v) => typeof v === 'number')) return Math.min(...(values as number[]));
  if (values.every((v) => typeof v === 'boolean')) return values.every((v) => v);
  return values.map(keywordOf).reduce((a, b) => (compareCodePoints(a, b) <= 0 ? a : b));
}

function scriptCompare(op: ComparisonOperator, a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  let c: number;
  if (typeof a === 'number' && typeof b === 'number') c = a === b ? 0 : a < b ? -1 : 1;
  else if (typeof a === 'string' && typeof b === 'string') c = compareCodePoints(a, b);
  else if (typeof a === 'boolean' && typeof b === 'boolean') c = Number(a) - Number(b);
  else return null;
  return op === '!=' ? c !== 0 : rangeHolds(op, c);
}

class QueryCompiler {
  constructor(
    private readonly query: EventQuery,
    private readonly table: FieldTable,
    private readonly ignoreAbove: number,
  ) {}

  compile(): Node {
    if (this.query.category === null) return this.condition(this.query.condition);
    const condition = this.query.condition;
    const category = this.exactLeaf(CATEGORY_FIELD, [this.query.category], false, false, `${CATEGORY_FIELD} == ${JSON.stringify(this.query.category)}`);
    const top = condition.kind === 'and' ? condition.operands.map((o) => this.condition(o)) : [this.condition(condition)];
    return this.combine('and', [category, ...top], 'and');
  }

  private slot(name: string): number {
    return this.table.slotOf(name, this.ignoreAbove);
  }

  private leaf(field: string, description: string, cost: number, test: (slot: Slot) => boolean): Node {
    const i = this.slot(field);
    return { test: (ctx) => test(ctx.slot(i)), cost, step: { description, cost }, fields: [field] };
  }

  private exactLeaf(field: string, values: readonly Leaf[], ci: boolean, negated: boolean, description: string): Node {
    const m = new ExactMatcher(values, ci);
    const node = this.leaf(field, description, COST.exact, negated ? (s) => !m.matches(s) : (s) => m.matches(s));
    return negated ? { ...node, negation: true } : node;
  }

  private combine(kind: 'and' | 'or', operands: readonly Node[], description: string): Node {
    const rank = (n: Node): number => (kind === 'and' && n.negation === true ? 1 : 0);
    const ordered = [...operands].sort((a, b) => rank(a) - rank(b) || a.cost - b.cost);
    const tests = ordered.map((n) => n.test);
    const cost = ordered.reduce((s, n) => s + n.cost, 0);
    let test: Test;
    if (tests.length === 2) {
      const [a, b] = tests as [Test, Test];
      test = kind === 'and' ? (ctx) => a(ctx) && b(ctx) : (ctx) => a(ctx) || b(ctx);
    } else if (kind === 'and') test = (ctx) => tests.every((t) => t(ctx));
    else test = (ctx) => tests.some((t) => t(ctx));
    return { test, cost, step: { description, cost, children: ordered.map((n) => n.step) }, fields: ordered.flatMap((n) => n.fields) };
  }

  private condition(e: Expr): Node {
    return located(e, () => this.conditionOf(e));
  }

  private conditionOf(e: Expr): Node {
    if (e.kind === 'literal') {
      if (typeof e.value !== 'boolean' && e.value !== null) throw new CompileError(`${describe(e)} is not a condition`);
      const v = e.value === true;
      return { test: () => v, cost: COST.constant, step: { description: String(v), cost: 0 }, fields: [] };
    }
    if (e.kind === 'and' || e.kind === 'or') return this.combine(e.kind, e.operands.map((o) => this.condition(o)), e.kind);
    if (e.kind === 'not') {
      if (isScript(e.operand)) return this.scriptNode(e, true);
      const inner = this.condition(e.operand);
      const t = inner.test;
      return {
        test: (ctx) => !t(ctx),
        cost: inner.cost,
        step: { description: 'not', cost: inner.cost, children: [inner.step] },
        fields: inner.fields,
        negation: true,
      };
    }
    if (isScript(e)) return this.scriptNode(e, false);
    switch (e.kind) {
      case 'compare':
        return e.left.kind === 'field'
          ? this.compareLeaf(e.left, e.op, e.right as Literal, describe(e))
          : this.compareLeaf(e.right as FieldRef, FLIP[e.op], e.left as Literal, describe(e));
      case 'match':
        return this.matchLeaf(e.left as FieldRef, e.op, e.caseInsensitive, e.patterns as Literal[], describe(e));
      case 'in': {
        const values = (e.values as Literal[]).map((v) => v.value).filter((v): v is Leaf => v !== null);
        return this.exactLeaf((e.left as FieldRef).name, values, e.caseInsensitive, e.negated, describe(e));
      }
      case 'call':
        return this.functionLeaf(e, describe(e));
      default:
        throw new CompileError(`${describe(e)} is not a condition`);
    }
  }

  private compareLeaf(field: FieldRef, op: ComparisonOperator, lit: Literal, description: string): Node {
    const v = lit.value;
    const name = field.name;
    if (v === null) {
      // `x == null` is "x is missing" and `x != null` is "x exists"; ordering against null is never true.
      if (op === '==' || op === '!=') return this.leaf(name, description, COST.exact, op === '==' ? (s) => s.values.length === 0 : (s) => s.values.length > 0);
      return this.leaf(name, description, COST.constant, () => false);
    }
    if (op === '==' || op === '!=') return this.exactLeaf(name, [v], false, op === '!=', description);
    const test =
      typeof v === 'string'
        ? (x: Leaf): boolean => rangeHolds(op, compareCodePoints(keywordOf(x), v))
        : (x: Leaf): boolean => {
            // A number is a numeric field's range; a boolean a boolean field's (false < true).
            const n = typeof v === 'number' ? numericOf(x) : booleanOf(x);
            const w = Number(v);
            return n !== undefined && rangeHolds(op, n === w ? 0 : n < w ? -1 : 1);
          };
    return this.leaf(name, description, COST.range, (s) => s.values.some(test));
  }

  private matchLeaf(field: FieldRef, op: ':' | 'like' | 'regex', ci: boolean, patterns: readonly Literal[], description: string): Node {
    const texts = patterns.map((p) => p.value).filter((v): v is Leaf => v !== null).map(keywordOf);
    if (op === 'regex') {
      const regexes = texts.map((t) => new LuceneRegex(t, ci));
      return this.leaf(field.name, description, COST.regex * regexes.length, (s) =>
        s.textViews().some((view) => regexes.some((r) => r.matches(view.text))),
      );
    }
    // Patterns without wildcards are case-(in)sensitive term lookups in a hash set.
    const exact = new ExactMatcher(texts.filter((t) => !/[*?]/.test(t)), ci);
    const wild = texts.filter((t) => /[*?]/.test(t)).map((t) => WildcardPattern.parse(t, ci));
    const cost = (exact.size > 0 ? COST.exact : 0) + COST.wildcard * wild.length;
    if (wild.length === 0) return this.leaf(field.name, description, cost, (s) => exact.matches(s));
    return this.leaf(field.name, description, cost, (s) => {
      if (s.values.length === 0) return false;
      if (exact.size > 0 && exact.matches(s)) return true;
      const views = s.textViews();
      for (const view of views) for (const w of wild) if (w.matches(view)) return true;
      return false;
    });
  }

  private functionLeaf(e: FunctionCall, description: string): Node {
    const { field, literals } = queryFunction(e)!;
    if (e.name === 'cidrMatch') {
      const info = { caseInsensitive: false, floatLiteral: [] };
      return this.leaf(field.name, description, COST.prefix, (s) =>
        s.values.some((v) => callFunction('cidrMatch', [keywordOf(v), ...literals], info) === true),
      );
    }
    const lit = literals[0]!;
    const parts = e.name === 'startsWith' ? [lit, ''] : e.name === 'endsWith' ? ['', lit] : ['', lit, ''];
    const pattern = WildcardPattern.literal(parts, e.caseInsensitive);
    return this.leaf(field.name, description, COST.prefix, (s) => s.textViews().some((view) => pattern.matches(view)));
  }

  private scriptNode(e: Expr, negate: boolean): Node {
    const value = this.script(negate ? (e as { operand: Expr }).operand : e);
    const want = !negate;
    const fields = [...scriptFields(e)];
    return { test: (ctx) => value(ctx) === want, cost: COST.script, step: { description: describe(e), cost: COST.script }, fields };
  }

  /** Compiles an expression evaluated as a script: every value may be null. */
  private script(e: Expr): Eval {
    return located(e, () => this.scriptOf(e));
  }

  private scriptOf(e: Expr): Eval {
    switch (e.kind) {
      case 'literal': {
        const v = e.value;
        return () => v;
      }
      case 'field': {
        const i = this.slot(e.name);
        return (ctx) => docValue(ctx.slot(i));
      }
      case 'not': {
        const inner = this.script(e.operand);
        return (ctx) => {
          const v = inner(ctx);
          return typeof v === 'boolean' ? !v : null;
        };
      }
      case 'compare': {
        const [l, r, op] = [this.script(e.left), this.script(e.right), e.op];
        return (ctx) => scriptCompare(op, l(ctx), r(ctx));
      }
      case 'match': {
        const left = this.script(e.left);
        if (!e.patterns.every((p) => p.kind === 'literal')) throw new CompileError(`${describe(e)}: patterns must be literals`);
        const texts = (e.patterns as Literal[]).map((p) => p.value).filter((v): v is Leaf => v !== null).map(keywordOf);
        const ci = e.caseInsensitive;
        const test: (s: string) => boolean =
          e.op === 'regex'
            ? ((rs) => (s: string) => rs.some((r) => r.matches(s)))(texts.map((t) => new LuceneRegex(t, ci)))
            : ((ws) => (s: string) => ws.some((w) => w.matches(textView(s))))(texts.map((t) => WildcardPattern.parse(t, ci)));
        return (ctx) => {
          const v = left(ctx);
          return v === null ? null : test(keywordOf(v));
        };
      }
      case 'in': {
        const left = this.script(e.left);
        const values = e.values.map((v) => this.script(v));
        const ci = e.caseInsensitive;
        const negated = e.negated;
        return (ctx) => {
          const v = left(ctx);
          if (v === null) return null;
          const hit = values.some((f) => {
            const w = f(ctx);
            if (ci && typeof v === 'string' && typeof w === 'string') return equalsIgnoringCase(w, v);
            return scriptCompare('==', v, w) === true;
          });
          return hit !== negated;
        };
      }
      case 'call': {
        const [min, max] = ARITY[e.name];
        if (e.args.length < min || e.args.length > max) throw new CompileError(`${e.name}: expected ${min}${max === min ? '' : max === Infinity ? ' or more' : `-${max}`} arguments, got ${e.args.length}`);
        const args = e.args.map((a) => this.script(a));
        const info = {
          caseInsensitive: e.caseInsensitive,
          floatLiteral: e.args.map((a) => a.kind === 'literal' && typeof a.value === 'number' && /[.eE]/.test(this.query.source.slice(a.span.start, a.span.end))),
        };
        const name = e.name;
        return (ctx) => callFunction(name, args.map((a) => a(ctx)), info);
      }
      case 'and':
      case 'or':
        throw new CompileError(`${describe(e)}: boolean operators inside a function or comparison are not supported`);
    }
  }
}

function* scriptFields(e: Expr): Generator<string> {
  switch (e.kind) {
    case 'field':
      yield e.name;
      return;
    case 'not':
      yield* scriptFields(e.operand);
      return;
    case 'compare':
      yield* scriptFields(e.left);
      yield* scriptFields(e.right);
      return;
    case 'match':
    case 'in':
      yield* scriptFields(e.left);
      return;
    case 'call':
      for (const a of e.args) yield* scriptFields(a);
      return;
    default:
      return;
  }
}

interface Internals {
  readonly query: EventQuery;
  readonly ignoreAbove: number;
}

const internals = new WeakMap<CompiledQuery, Internals>();

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

export function compileQuery(query: EventQuery, opts: CompileOptions = {}): CompiledQuery {
  const ignoreAbove = opts.ignoreAbove ?? DEFAULT_IGNORE_ABOVE;
  const table = new FieldTable();
  const root = new QueryCompiler(query, table, ignoreAbove).compile();
  const test = root.test;
  const compiled: CompiledQuery = {
    category: query.category,
    fields: unique(root.fields),
    matches: (event) => test(table.context(event)),
    prefilter: createPrefilter(queryLiterals(query, opts.derivedFields ?? new Set())),
    plan: [root.step],
  };
  internals.set(compiled, { query, ignoreAbove });
  return compiled;
}

export function compileQuerySet(queries: readonly CompiledQuery[]): CompiledQuerySet {
  const table = new FieldTable();
  const tests = queries.map((q) => {
    const inner = internals.get(q);
    if (inner === undefined) throw new CompileError('compileQuerySet takes queries made by compileQuery');
    return new QueryCompiler(inner.query, table, inner.ignoreAbove).compile().test;
  });
  return {
    queries,
    fields: unique(queries.flatMap((q) => q.fields)),
    prefilter: createPrefilter(unionLiterals(queries.map((q) => q.prefilter.literals))),
    matchAll(event) {
      const ctx = table.context(event);
      const hits: number[] = [];
      for (let i = 0; i < tests.length; i++) if (tests[i]!(ctx)) hits.push(i);
      return hits;
    },
  };
}

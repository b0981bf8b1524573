// A plain reference interpreter of the AST, used only by tests to check the
// compiled matcher. It is deliberately naive: it flattens the whole document
// into dotted paths for every field access, matches wildcards with a dynamic
// programme over code points, and interprets the tree directly. It shares only
// the definitions of case folding and the function library with the compiler.
import type { ComparisonOperator, EventQuery, Expr, Literal } from '../eql/ast.js';
import { codePointMatches, codePoints, compareCodePoints } from './casefold.js';
import { callFunction, type Value } from './functions.js';
import { LuceneRegex } from './regex.js';

type Leaf = string | number | boolean;

/** Every leaf of the document under its full dotted path (arrays flattened, nulls and objects dropped). */
function flatten(doc: unknown, prefix: string, out: Map<string, Leaf[]>): void {
  if (Array.isArray(doc)) {
    for (const e of doc) flatten(e, prefix, out);
  } else if (typeof doc === 'object' && doc !== null) {
    for (const [k, v] of Object.entries(doc)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (typeof doc === 'string' || typeof doc === 'boolean' || (typeof doc === 'number' && Number.isFinite(doc))) {
    if (prefix === '') return;
    const list = out.get(prefix) ?? [];
    list.push(doc);
    out.set(prefix, list);
  }
}

function wildcardDp(pattern: string, value: string, ci: boolean): boolean {
  const p = codePoints(pattern);
  const v = codePoints(value);
  // can[i][j]: p[0..i) matches v[0..j)
  let prev = new Array<boolean>(v.length + 1).fill(false);
  prev[0] = true;
  for (let i = 1; i <= p.length; i++) {
    const cur = new Array<boolean>(v.length + 1).fill(false);
    const pc = p[i - 1]!;
    if (pc === 0x2a) cur[0] = prev[0]!;
    for (let j = 1; j <= v.length; j++) {
      if (pc === 0x2a) cur[j] = prev[j]! || cur[j - 1]!;
      else if (pc === 0x3f) cur[j] = prev[j - 1]!;
      else cur[j] = prev[j - 1]! && codePointMatches(pc, v[j - 1]!, ci);
    }
    prev = cur;
  }
  return prev[v.length]!;
}

function keyword(v: Leaf): string {
  return typeof v === 'string' ? v : String(v);
}

function numeric(v: Leaf): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function equalsTerm(v: Leaf, lit: Leaf, ci: boolean): boolean {
  if (typeof lit === 'number') return numeric(v) === lit || keyword(v) === String(lit);
  if (typeof lit === 'boolean') return v === lit || v === String(lit);
  const s = keyword(v);
  if (!ci) return s === lit;
  const a = codePoints(lit);
  const b = codePoints(s);
  return a.length === b.length && a.every((cp, k) => codePointMatches(cp, b[k]!, true));
}

function order(op: ComparisonOperator, c: number): boolean {
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '==' ? c === 0 : c !== 0;
}

export class ReferenceInterpreter {
  constructor(
    private readonly query: EventQuery,
    private readonly ignoreAbove = 1024,
  ) {}

  matches(doc: unknown): boolean {
    if (this.query.category !== null && !this.values(doc, 'event.category').includes(this.query.category)) return false;
    return this.holds(this.query.condition, doc);
  }

  private values(doc: unknown, field: string): Leaf[] {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [];
    const all = new Map<string, Leaf[]>();
    flatten(doc, '', all);
    return (all.get(field) ?? []).filter((v) => typeof v !== 'string' || this.ignoreAbove <= 0 || v.length <= this.ignoreAbove);
  }

  /** Query semantics: true or false, never null. */
  private holds(e: Expr, doc: unknown): boolean {
    switch (e.kind) {
      case 'literal':
        return e.value === true;
      case 'and':
        return e.operands.every((o) => this.holds(o, doc));
      case 'or':
        return e.operands.some((o) => this.holds(o, doc));
      case 'not':
        if (this.isScript(e.operand)) return this.value(e.operand, doc) === false;
        return !this.holds(e.operand, doc);
      default:
        if (this.isScript(e)) return this.value(e, doc) === true;
        return this.fieldQuery(e, doc);
    }
  }

  private isScript(e: Expr): boolean {
    switch (e.kind) {
      case 'literal':
      case 'and':
      case 'or':
        return false;
      case 'not':
        return this.isScript(e.operand);
      case 'compare':
        return !(
          (e.left.kind === 'field' && e.right.kind === 'literal') ||
          (e.right.kind === 'field' && e.left.kind === 'literal')
        );
      case 'match':
        return e.left.kind !== 'field' || e.patterns.some((p) => p.kind !== 'literal');
      case 'in':
        return e.left.kind !== 'field' || e.values.some((p) => p.kind !== 'literal');
      case 'call': {
        const [f, ...rest] = e.args;
        const literalStrings = rest.length > 0 && rest.every((a) => a.kind === 'literal' && typeof a.value === 'string');
        if (f?.kind !== 'field' || !literalStrings) return true;
        if (e.name === 'cidrMatch') return false;
        return !(['startsWith', 'endsWith', 'stringContains'].includes(e.name) && rest.length === 1);
      }
      default:
        return true;
    }
  }

  private fieldQuery(e: Expr, doc: unknown): boolean {
    switch (e.kind) {
      case 'compare': {
        const [field, lit, op] =
          e.left.kind === 'field'
            ? [e.left.name, (e.right as Literal).value, e.op]
            : [(e.right as { name: string }).name, (e.left as Literal).value, flip(e.op)];
        const vals = this.values(doc, field);
        if (lit === null) return op === '==' ? vals.length === 0 : op === '!=' ? vals.length > 0 : false;
        if (op === '==') return vals.some((v) => equalsTerm(v, lit, false));
        if (op === '!=') return !vals.some((v) => equalsTerm(v, lit, false));
        if (typeof lit === 'number') return vals.some((v) => numeric(v) !== undefined && order(op, numeric(v)! - lit));
        if (typeof lit === 'boolean') {
          const asBool = (v: Leaf): number | undefined => (v === true || v === 'true' ? 1 : v === false || v === 'false' ? 0 : undefined);
          return vals.some((v) => asBool(v) !== undefined && order(op, asBool(v)! - Number(lit)));
        }
        return vals.some((v) => order(op, compareCodePoints(keyword(v), String(lit))));
      }
      case 'match': {
        const vals = this.values(doc, (e.left as { name: string }).name);
        const pats = (e.patterns as Literal[]).filter((p) => p.value !== null).map((p) => keyword(p.value as Leaf));
        return vals.some((v) =>
          pats.some((p) => (e.op === 'regex' ? new LuceneRegex(p, e.caseInsensitive).matches(keyword(v)) : wildcardDp(p, keyword(v), e.caseInsensitive))),
        );
      }
      case 'in': {
        const vals = this.values(doc, (e.left as { name: string }).name);
        const lits = (e.values as Literal[]).map((l) => l.value).filter((l): l is Leaf => l !== null);
        const hit = vals.some((v) => lits.some((l) => equalsTerm(v, l, e.caseInsensitive)));
        return hit !== e.negated;
      }
      case 'call': {
        const vals = this.values(doc, (e.args[0] as { name: string }).name);
        const lits = e.args.slice(1).map((a) => (a as Literal).value as string);
        if (e.name === 'cidrMatch') return vals.some((v) => callFunction('cidrMatch', [keyword(v), ...lits], { caseInsensitive: false, floatLiteral: [] }) === true);
        const lit = lits[0]!.replace(/[*?]/g, '');
        if (lit !== lits[0]) {
          // A literal holding * or ?: compare directly (the wildcard DP would treat them as wildcards).
          return vals.some((v) => {
            const s = e.caseInsensitive ? keyword(v).toLowerCase() : keyword(v);
            const t = e.caseInsensitive ? lits[0]!.toLowerCase() : lits[0]!;
            return e.name === 'startsWith' ? s.startsWith(t) : e.name === 'endsWith' ? s.endsWith(t) : s.includes(t);
          });
        }
        const pattern = e.name === 'startsWith' ? `${lit}*` : e.name === 'endsWith' ? `*${lit}` : `*${lit}*`;
        return vals.some((v) => wildcardDp(pattern, keyword(v), e.caseInsensitive));
      }
      default:
        return false;
    }
  }

  /** Script semantics: null propagates. */
  private value(e: Expr, doc: unknown): Value {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'field': {
        const vals = this.values(doc, e.name);
        if (vals.length === 0) return null;
        if (vals.every((v) => typeof v === 'number')) return Math.min(...(vals as number[]));
        if (vals.every((v) => typeof v === 'boolean')) return vals.every((v) => v === true);
        return [...vals.map(keyword)].sort(compareCodePoints)[0]!;
      }
      case 'not': {
        const v = this.value(e.operand, doc);
        return typeof v === 'boolean' ? !v : null;
      }
      case 'compare': {
        const a = this.value(e.left, doc);
        const b = this.value(e.right, doc);
        if (a === null || b === null || typeof a !== typeof b) return null;
        const c = typeof a === 'string' ? compareCodePoints(a, b as string) : Number(a) - Number(b);
        return order(e.op, c);
      }
      case 'match': {
        const v = this.value(e.left, doc);
        if (v === null) return null;
        const pats = (e.patterns as Literal[]).filter((p) => p.value !== null).map((p) => keyword(p.value as Leaf));
        return pats.some((p) => (e.op === 'regex' ? new LuceneRegex(p, e.caseInsensitive).matches(keyword(v)) : wildcardDp(p, keyword(v), e.caseInsensitive)));
      }
      case 'in': {
        const v = this.value(e.left, doc);
        if (v === null) return null;
        const hit = e.values.some((x) => {
          const w = this.value(x, doc);
          if (w === null || typeof w !== typeof v) return false;
          return e.caseInsensitive && typeof w === 'string' ? equalsTerm(v, w, true) : v === w;
        });
        return hit !== e.negated;
      }
      case 'call':
        return callFunction(
          e.name,
          e.args.map((a) => this.value(a, doc)),
          {
            caseInsensitive: e.caseInsensitive,
            floatLiteral: e.args.map((a) => a.kind === 'literal' && typeof a.value === 'number' && /[.eE]/.test(this.query.source.slice(a.span.start, a.span.end))),
          },
        );
      default:
        return null;
    }
  }
}

function flip(op: ComparisonOperator): ComparisonOperator {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

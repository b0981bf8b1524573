// The raw-bytes prefilter: literals of which at least one must occur
// (ASCII case-insensitively) in the bytes of any message the query matches,
// and a scanner that looks for them without decoding the message.
//
// Soundness rests on three facts. (1) A literal is a run of a pattern or string
// that any matching value contains verbatim up to ASCII case; an ASCII pattern
// character only ever matches an ASCII character (see casefold.ts), so the run
// appears in the value's UTF-8 bytes. (2) JSON may write a string character
// differently only as `\uXXXX` or, for `/`, `\/`, or as a short escape for `"`,
// `\` and control characters: literals never contain those characters, and a
// message with a `\u` escape of an ASCII character (`\u0000`-`\u007f`) is
// passed through; escapes of other characters cannot hide an ASCII literal.
// (3) Numbers are indexed as their JavaScript string form, which can differ
// from the JSON text (`1e2` vs `100`): literals made only of characters a
// number can be written with are never used.
import type { Expr, EventQuery } from '../eql/ast.js';
import type { RawPrefilter } from './types.js';

/** How often each ASCII byte occurs in Windows event JSON, per 100,000 bytes (measured on the public corpus). */
const BYTE_FREQUENCY = [
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 252, 1, 1, 48, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4171, 1, 4478,
  1, 47, 51, 1, 62, 13, 13, 1, 681, 1107, 1396, 1711, 98, 4752, 1845, 2069, 2177, 1668, 789, 1015, 449, 661, 979,
  2943, 16, 1, 52, 1, 1, 51, 677, 292, 1264, 739, 1040, 422, 182, 163, 756, 1, 189, 375, 591, 687, 161, 538, 14, 363,
  1430, 877, 189, 95, 877, 100, 83, 152, 9, 8417, 9, 1, 37, 1, 2355, 478, 2246, 2800, 5316, 845, 533, 370, 2331, 216,
  279, 2275, 1720, 3183, 3498, 662, 15, 3518, 3805, 3686, 1130, 554, 1248, 533, 896, 51, 236, 647, 236, 1, 1,
];

/** Printable ASCII except `"`, `\` and `/`: characters JSON always writes as themselves (absent `\u`). */
const SAFE_CHAR = /^[\x20-\x21\x23-\x2e\x30-\x5b\x5d-\x7e]$/;
/** Characters a JSON number's text or JavaScript string form can consist of. */
const NUMERIC_ONLY = /^[0-9.eE+-]*$/;

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** Frequency of a byte in either case (for letters both cases are scanned). */
function foldedFrequency(b: number): number {
  return isLetter(b) ? BYTE_FREQUENCY[b | 0x20]! + BYTE_FREQUENCY[b & ~0x20]! : BYTE_FREQUENCY[b]!;
}

/**
 * Path components and words that occur in a large share of Windows events:
 * byte frequencies cannot tell that they are common, so they rank last.
 */
const COMMON_FRAGMENTS = new Set([
  'windows', 'system32', 'syswow64', 'program files', 'program files (x86)', 'programdata', 'microsoft',
  'exchange server', 'users', 'appdata', 'local', 'roaming', 'temp', 'inetpub', 'wwwroot', 'bin', 'exe', 'dll',
]);

/**
 * Estimated chance that a literal occurs at a given position: the product of
 * its three rarest bytes' frequencies (1 for common fragments). Lower is better.
 */
export function literalScore(lit: string): number {
  if (COMMON_FRAGMENTS.has(lit)) return 1;
  const freqs = [...lit].map((c) => foldedFrequency(c.charCodeAt(0)) / 100_000).sort((a, b) => a - b);
  return freqs.slice(0, 3).reduce((p, f) => p * f, 1);
}

function setScore(lits: readonly string[]): number {
  return lits.reduce((s, l) => s + literalScore(l), 0);
}

/** The best usable literal inside a string that any matching value contains (runs split at unsafe characters). */
function bestRun(runs: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const run of runs) {
    for (const piece of splitUnsafe(run)) {
      if (NUMERIC_ONLY.test(piece)) continue;
      const lower = piece.toLowerCase();
      if (best === undefined || literalScore(lower) < literalScore(best)) best = lower;
    }
  }
  return best;
}

function splitUnsafe(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (SAFE_CHAR.test(ch)) cur += ch;
    else {
      if (cur.length > 0) out.push(cur);
      cur = '';
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Literal runs of a wildcard pattern (text between `*` and `?`). */
function wildcardRuns(pattern: string): string[] {
  return pattern.split(/[*?]/).filter((r) => r.length > 0);
}

/**
 * Derives the literal set of an expression: null when no set of literals is
 * necessary for a match. `and` takes its best child's set, `or` the union of
 * all children's (null if any child has none), `not` and functions none.
 */
export function deriveLiterals(expr: Expr, derived: ReadonlySet<string>): string[] | null {
  switch (expr.kind) {
    case 'and': {
      let best: string[] | null = null;
      for (const op of expr.operands) {
        const lits = deriveLiterals(op, derived);
        if (lits !== null && (best === null || setScore(lits) < setScore(best))) best = lits;
      }
      return best;
    }
    case 'or': {
      const all: string[] = [];
      for (const op of expr.operands) {
        const lits = deriveLiterals(op, derived);
        if (lits === null) return null;
        all.push(...lits);
      }
      return minimalSet(all);
    }
    case 'match': {
      if (expr.op === 'regex' || !usableField(expr.left, derived)) return null;
      return perValue(expr.patterns, (p) => wildcardRuns(p));
    }
    case 'compare': {
      if (expr.op !== '==') return null;
      const [field, value] = expr.left.kind === 'field' ? [expr.left, expr.right] : [expr.right, expr.left];
      if (!usableField(field, derived)) return null;
      return perValue([value], (s) => [s]);
    }
    case 'in':
      if (expr.negated || !usableField(expr.left, derived)) return null;
      return perValue(expr.values, (s) => [s]);
    default:
      return null;
  }
}

function usableField(e: Expr, derived: ReadonlySet<string>): boolean {
  return e.kind === 'field' && !derived.has(e.name);
}

/** Every value must yield a literal (any of them may be the one that matches). */
function perValue(values: readonly Expr[], runsOf: (s: string) => string[]): string[] | null {
  const out: string[] = [];
  for (const v of values) {
    if (v.kind !== 'literal' || typeof v.value !== 'string') return null;
    const best = bestRun(runsOf(v.value));
    if (best === undefined) return null;
    out.push(best);
  }
  return minimalSet(out);
}

/** Deduplicates and drops literals that contain another literal of the set (finding the shorter suffices). */
function minimalSet(lits: readonly string[]): string[] {
  const uniq = [...new Set(lits)];
  return uniq.filter((l) => !uniq.some((o) => o !== l && l.includes(o))).sort();
}

export function queryLiterals(q: EventQuery, derived: ReadonlySet<string>): string[] | null {
  return deriveLiterals(q.condition, derived);
}

/** Union of several queries' literal sets: null if any query has none. */
export function unionLiterals(sets: readonly (readonly string[] | null)[]): string[] | null {
  const all: string[] = [];
  for (const s of sets) {
    if (s === null) return null;
    all.push(...s);
  }
  return minimalSet(all);
}

interface Needle {
  /** Literal bytes, lower-cased. */
  readonly bytes: Uint8Array;
  /** 0x20 at letter positions: `(b | mask) === byte` compares ignoring ASCII case. */
  readonly mask: Uint8Array;
  /** Offset of the anchor byte inside the literal. */
  readonly anchor: number;
  /** The anchor byte in each case to scan for. */
  readonly anchorBytes: readonly number[];
}

function needle(lit: string): Needle {
  const bytes = Buffer.from(lit, 'latin1');
  const mask = bytes.map((b) => (isLetter(b) ? 0x20 : 0));
  let anchor = 0;
  for (let i = 1; i < bytes.length; i++) if (foldedFrequency(bytes[i]!) < foldedFrequency(bytes[anchor]!)) anchor = i;
  const a = bytes[anchor]!;
  return { bytes, mask, anchor, anchorBytes: isLetter(a) ? [a | 0x20, a & ~0x20] : [a] };
}

const U00 = Buffer.from('u00', 'latin1');

/**
 * True when the bytes hold a JSON escape of an ASCII character (`\u0000`–`\u007f`):
 * only those can hide a literal's character (see the soundness note above).
 * Searching for `u00` and checking the bytes around it is about three times
 * faster than searching for the backslash, which is frequent in Windows paths.
 */
export function hasAsciiEscape(buf: Buffer): boolean {
  for (let at = buf.indexOf(U00, 1); at !== -1; at = buf.indexOf(U00, at + 1)) {
    const next = buf[at + 3];
    if (next === undefined || next < 0x30 || next > 0x37) continue;
    let run = 0;
    while (at - run - 1 >= 0 && buf[at - run - 1] === 0x5c) run++;
    if (run % 2 === 1) return true;
  }
  return false;
}

function contains(buf: Buffer, n: Needle): boolean {
  const m = n.bytes.length;
  const last = buf.length - m + n.anchor;
  for (const a of n.anchorBytes) {
    for (let h = buf.indexOf(a, n.anchor); h !== -1 && h <= last; h = buf.indexOf(a, h + 1)) {
      const start = h - n.anchor;
      let k = 0;
      while (k < m && (buf[start + k]! | n.mask[k]!) === n.bytes[k]) k++;
      if (k === m) return true;
    }
  }
  return false;
}

export function createPrefilter(literals: readonly string[] | null): RawPrefilter {
  if (literals === null || literals.length === 0) return { literals: null, mayMatch: () => true };
  const needles = literals.map(needle);
  return {
    literals,
    mayMatch(raw: Uint8Array): boolean {
      const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      for (const n of needles) if (contains(buf, n)) return true;
      return hasAsciiEscape(buf);
    },
  };
}

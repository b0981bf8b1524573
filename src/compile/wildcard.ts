// EQL wildcard patterns (`:`, `like`, `like~`): `*` is zero or more characters
// (crossing backslashes), `?` exactly one character (code point), everything
// else literal; there is no escape character. Matching is linear in the value's
// length for a fixed pattern: the pattern is split at `*` into fixed-length
// segments; the first is anchored at the start, the last at the end, and each
// middle one is matched at its leftmost occurrence (for fixed-length segments
// the leftmost occurrence ends earliest, so greedy leftmost is exact).
import { codePointMatches, codePoints, isAscii } from './casefold.js';

const ANY = -1; // `?` in a segment

/** A value as the matcher sees it: the keyword string, and its lower-cased form when it is ASCII. */
export interface TextView {
  readonly text: string;
  /** `text` lower-cased, or undefined when `text` contains non-ASCII characters. */
  readonly asciiLower: string | undefined;
}

export class WildcardPattern {
  /** Segments between `*` as code points (ANY for `?`). */
  private readonly segments: number[][];
  /** For an ASCII pattern: segments as strings (lower-cased when case-insensitive), `?` kept as a marker. */
  private readonly asciiSegments: string[] | undefined;
  private readonly segmentHasAny: boolean[];

  /** An EQL wildcard pattern: `*` and `?` are wildcards. */
  static parse(pattern: string, caseInsensitive: boolean): WildcardPattern {
    return new WildcardPattern(pattern.split('*'), true, caseInsensitive);
  }

  /** Literal parts joined by `*` (prefix/suffix/contains queries): `?` and `*` inside parts are ordinary. */
  static literal(parts: readonly string[], caseInsensitive: boolean): WildcardPattern {
    return new WildcardPattern(parts, false, caseInsensitive);
  }

  private constructor(
    parts: readonly string[],
    questionIsWildcard: boolean,
    readonly caseInsensitive: boolean,
  ) {
    this.segments = parts.map((seg) => codePoints(seg).map((cp) => (questionIsWildcard && cp === 0x3f ? ANY : cp)));
    this.segmentHasAny = this.segments.map((seg) => seg.includes(ANY));
    if (parts.every(isAscii)) this.asciiSegments = caseInsensitive ? parts.map((p) => p.toLowerCase()) : [...parts];
  }

  matches(value: TextView): boolean {
    const segs = this.asciiSegments;
    if (segs !== undefined) {
      if (!this.caseInsensitive && value.asciiLower !== undefined) return this.matchAscii(segs, value.text);
      if (this.caseInsensitive && value.asciiLower !== undefined) return this.matchAscii(segs, value.asciiLower);
    }
    return this.matchCodePoints(codePoints(value.text));
  }

  // Fast path: pattern and value are ASCII, so one UTF-16 unit is one code point.
  private matchAscii(segs: string[], v: string): boolean {
    const last = segs.length - 1;
    const first = segs[0]!;
    if (last === 0) return v.length === first.length && this.asciiAt(0, first, v, 0);
    const tail = segs[last]!;
    let pos = first.length;
    const limit = v.length - tail.length;
    if (limit < pos) return false;
    if (!this.asciiAt(0, first, v, 0) || !this.asciiAt(last, tail, v, limit)) return false;
    for (let i = 1; i < last; i++) {
      const seg = segs[i]!;
      if (seg.length === 0) continue;
      const at = this.segmentHasAny[i] ? this.asciiFind(i, seg, v, pos, limit) : v.indexOf(seg, pos);
      if (at < 0 || at + seg.length > limit) return false;
      pos = at + seg.length;
    }
    return true;
  }

  private asciiAt(i: number, seg: string, v: string, at: number): boolean {
    if (!this.segmentHasAny[i]) return v.startsWith(seg, at);
    for (let k = 0; k < seg.length; k++) {
      const c = seg.charCodeAt(k);
      if (c !== 0x3f && c !== v.charCodeAt(at + k)) return false;
    }
    return true;
  }

  private asciiFind(i: number, seg: string, v: string, from: number, limit: number): number {
    for (let at = from; at + seg.length <= limit; at++) if (this.asciiAt(i, seg, v, at)) return at;
    return -1;
  }

  // General path: any pattern or value, compared code point by code point.
  private matchCodePoints(v: number[]): boolean {
    const segs = this.segments;
    const last = segs.length - 1;
    const first = segs[0]!;
    if (last === 0) return v.length === first.length && this.cpAt(first, v, 0);
    const tail = segs[last]!;
    let pos = first.length;
    const limit = v.length - tail.length;
    if (limit < pos || !this.cpAt(first, v, 0) || !this.cpAt(tail, v, limit)) return false;
    for (let i = 1; i < last; i++) {
      const seg = segs[i]!;
      let at = pos;
      while (at + seg.length <= limit && !this.cpAt(seg, v, at)) at++;
      if (at + seg.length > limit) return false;
      pos = at + seg.length;
    }
    return true;
  }

  private cpAt(seg: number[], v: number[], at: number): boolean {
    for (let k = 0; k < seg.length; k++) {
      const p = seg[k]!;
      if (p !== ANY && !codePointMatches(p, v[at + k]!, this.caseInsensitive)) return false;
    }
    return true;
  }
}

/** A TextView for a string (used by scripts and tests; slots cache theirs). */
export function textView(text: string): TextView {
  return { text, asciiLower: isAscii(text) ? text.toLowerCase() : undefined };
}

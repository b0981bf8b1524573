// Case-insensitive matching exactly as Lucene/Elasticsearch does it for keyword
// fields: a pattern code point c matches a value code point v when v === c or
// v === altCase(c), where altCase follows Java's Character.toUpperCase /
// toLowerCase (AutomatonQueries.toCaseInsensitiveChar). This relation is not
// symmetric for a few non-ASCII letters (pattern 'ſ' matches 'S', pattern 's'
// does not match 'ſ'), which is why values are not simply lower-cased.

const LOWERCASE = /^\p{Lowercase}$/u;
const cache = new Map<number, number>();

/** The other-case code point a case-insensitive pattern character also accepts. */
export function altCase(cp: number): number {
  if (cp < 0x80) {
    if (cp >= 0x41 && cp <= 0x5a) return cp + 0x20;
    if (cp >= 0x61 && cp <= 0x7a) return cp - 0x20;
    return cp;
  }
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  const s = String.fromCodePoint(cp);
  const mapped = LOWERCASE.test(s) ? s.toUpperCase() : s.toLowerCase();
  const first = mapped.codePointAt(0) ?? cp;
  // JS applies full (multi-character) mappings where Java's Character methods
  // use the simple one-to-one mapping; for those keep the character itself,
  // except U+0130 whose simple lower-case mapping is 'i'.
  const alt = String.fromCodePoint(first).length === mapped.length ? first : cp === 0x130 ? 0x69 : cp;
  cache.set(cp, alt);
  return alt;
}

/** True when value code point v is accepted by pattern code point p. */
export function codePointMatches(p: number, v: number, caseInsensitive: boolean): boolean {
  return v === p || (caseInsensitive && v === altCase(p));
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

export function isAscii(s: string): boolean {
  return ASCII_ONLY.test(s);
}

export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    out.push(cp);
    if (cp > 0xffff) i++;
  }
  return out;
}

/** Compares two strings by code point (Lucene orders keyword terms by UTF-8 bytes, which is code point order). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xd800-0xdfff) encode code points above 0xffff, which sort after 0xe000-0xffff.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Case-insensitive term equality: pattern `p` against value `v`, code point by code point. */
export function equalsIgnoringCase(p: string, v: string): boolean {
  const a = codePoints(p);
  const b = codePoints(v);
  return a.length === b.length && a.every((cp, k) => codePointMatches(cp, b[k]!, true));
}

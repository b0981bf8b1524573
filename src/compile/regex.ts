// Lucene regular expressions (the `regexp` query that EQL `regex` / `regex~`
// translate to), matched in linear time: the pattern is parsed into a Thompson
// NFA and simulated over the value's code points with a state set (no
// backtracking). Lucene regexps are anchored: they must match the whole value.
// Supported: literals and `\` escapes, `.`, `[...]` / `[^...]` with ranges,
// `\d \D \s \S \w \W`, groups, `|`, `*` `+` `?` `{n}` `{n,}` `{n,m}`, `"…"`
// quoted strings, `#` (empty language) and `@` (any string). Intersection `&`,
// complement `~` and intervals `<n-m>` need automaton operations we do not
// implement: they are rejected at compile time with RegexUnsupportedError.
// `regex~` is ASCII case-insensitive, as Lucene's ASCII_CASE_INSENSITIVE flag.
import { codePoints } from './casefold.js';

export class RegexUnsupportedError extends Error {}

const MAX_STATES = 20_000;

type Range = readonly [number, number];
interface CharSet {
  readonly ranges: readonly Range[];
  readonly negated: boolean;
}

interface State {
  /** Consuming state: the set a code point must be in; undefined for an epsilon state. */
  set?: CharSet;
  out: number[];
}

interface Frag {
  start: number;
  /** States whose out-edges still dangle (patched to the next fragment). */
  ends: number[];
}

const DIGIT: Range[] = [[0x30, 0x39]];
const SPACE: Range[] = [[0x09, 0x0d], [0x20, 0x20]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];

type Node =
  | { readonly t: 'set'; readonly set: CharSet }
  | { readonly t: 'cat'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly alts: readonly Node[] }
  | { readonly t: 'rep'; readonly node: Node; readonly min: number; readonly max: number | undefined };

const ANY_CHAR: Node = { t: 'set', set: { ranges: [], negated: true } };

export class LuceneRegex {
  private readonly states: State[] = [];
  private readonly start: number;
  private readonly accept: number;

  constructor(
    readonly pattern: string,
    readonly caseInsensitive: boolean,
  ) {
    const frag = this.build(new Parser(pattern).parse());
    this.accept = this.add({ out: [] });
    this.patch(frag.ends, this.accept);
    this.start = frag.start;
  }

  matches(value: string): boolean {
    const mark = new Int32Array(this.states.length).fill(-1);
    let current: number[] = [];
    this.closure(this.start, current, mark, 0);
    let step = 0;
    for (let i = 0; i < value.length && current.length > 0; i++) {
      const cp = value.codePointAt(i)!;
      if (cp > 0xffff) i++;
      step++;
      const next: number[] = [];
      for (const s of current) {
        const st = this.states[s]!;
        if (st.set !== undefined && this.inSet(st.set, cp)) this.closure(st.out[0]!, next, mark, step);
      }
      current = next;
    }
    return current.includes(this.accept);
  }

  private closure(s: number, into: number[], mark: Int32Array, step: number): void {
    const stack = [s];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (mark[t] === step) continue;
      mark[t] = step;
      const st = this.states[t]!;
      if (st.set !== undefined || t === this.accept) into.push(t);
      else for (let k = st.out.length - 1; k >= 0; k--) stack.push(st.out[k]!);
    }
  }

  private inSet(set: CharSet, cp: number): boolean {
    let hit = inRanges(set.ranges, cp);
    if (!hit && this.caseInsensitive) {
      if (cp >= 0x41 && cp <= 0x5a) hit = inRanges(set.ranges, cp + 0x20);
      else if (cp >= 0x61 && cp <= 0x7a) hit = inRanges(set.ranges, cp - 0x20);
    }
    return hit !== set.negated;
  }

  private add(st: State): number {
    if (this.states.length >= MAX_STATES) throw new RegexUnsupportedError('regular expression too large');
    this.states.push(st);
    return this.states.length - 1;
  }

  private patch(ends: number[], to: number): void {
    for (const e of ends) this.states[e]!.out.push(to);
  }

  private empty(): Frag {
    const s = this.add({ out: [] });
    return { start: s, ends: [s] };
  }

  private build(node: Node): Frag {
    switch (node.t) {
      case 'set': {
        const s = this.add({ set: node.set, out: [] });
        return { start: s, ends: [s] };
      }
      case 'cat':
        return node.items.reduce((a, item) => this.concat(a, this.build(item)), this.empty());
      case 'alt': {
        const alts = node.alts.map((a) => this.build(a));
        return { start: this.add({ out: alts.map((a) => a.start) }), ends: alts.flatMap((a) => a.ends) };
      }
      case 'rep': {
        let frag = this.empty();
        for (let i = 0; i < node.min; i++) frag = this.concat(frag, this.build(node.node));
        if (node.max === undefined) return this.concat(frag, this.star(this.build(node.node)));
        for (let i = node.min; i < node.max; i++) frag = this.concat(frag, this.optional(this.build(node.node)));
        return frag;
      }
    }
  }

  private concat(a: Frag, b: Frag): Frag {
    this.patch(a.ends, b.start);
    return { start: a.start, ends: b.ends };
  }

  private star(f: Frag): Frag {
    const split = this.add({ out: [f.start] });
    this.patch(f.ends, split);
    return { start: split, ends: [split] };
  }

  private optional(f: Frag): Frag {
    const split = this.add({ out: [f.start] });
    return { start: split, ends: [split, ...f.ends] };
  }
}

class Parser {
  private readonly src: number[];
  private pos = 0;

  constructor(private readonly pattern: string) {
    this.src = codePoints(pattern);
  }

  parse(): Node {
    const node = this.union();
    if (this.pos < this.src.length) this.fail(`unexpected '${String.fromCodePoint(this.src[this.pos]!)}'`);
    return node;
  }

  private fail(msg: string): never {
    throw new RegexUnsupportedError(`invalid regular expression ${JSON.stringify(this.pattern)}: ${msg} at ${this.pos}`);
  }

  private peek(): number | undefined {
    return this.src[this.pos];
  }

  private eat(cp: number): boolean {
    if (this.src[this.pos] !== cp) return false;
    this.pos++;
    return true;
  }

  private next(): number {
    const c = this.src[this.pos];
    if (c === undefined) this.fail('unexpected end');
    this.pos++;
    return c;
  }

  private union(): Node {
    const alts = [this.concat()];
    while (this.eat(0x7c /* | */)) alts.push(this.concat());
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private concat(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== 0x7c && c !== 0x29; c = this.peek()) {
      if (c === 0x26 /* & */) this.fail('intersection (&) is not supported');
      items.push(this.repeat());
    }
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  private repeat(): Node {
    let node = this.atom();
    for (;;) {
      if (this.eat(0x2a /* * */)) node = { t: 'rep', node, min: 0, max: undefined };
      else if (this.eat(0x2b /* + */)) node = { t: 'rep', node, min: 1, max: undefined };
      else if (this.eat(0x3f /* ? */)) node = { t: 'rep', node, min: 0, max: 1 };
      else if (this.eat(0x7b /* { */)) {
        const min = this.number();
        let max: number | undefined = min;
        if (this.eat(0x2c /* , */)) max = this.peek() === 0x7d ? undefined : this.number();
        if (!this.eat(0x7d /* } */)) this.fail("expected '}'");
        if (max !== undefined && max < min) this.fail('bad repeat bounds');
        node = { t: 'rep', node, min, max };
      } else return node;
    }
  }

  private number(): number {
    let n = 0;
    let digits = 0;
    for (let c = this.peek(); c !== undefined && c >= 0x30 && c <= 0x39; c = this.peek()) {
      n = n * 10 + (c - 0x30);
      digits++;
      this.pos++;
    }
    if (digits === 0 || n > 1000) this.fail('bad repeat count');
    return n;
  }

  private atom(): Node {
    const c = this.next();
    switch (c) {
      case 0x28 /* ( */: {
        const inner: Node = this.peek() === 0x29 ? { t: 'cat', items: [] } : this.union();
        if (!this.eat(0x29)) this.fail("expected ')'");
        return inner;
      }
      case 0x5b /* [ */:
        return { t: 'set', set: this.charClass() };
      case 0x2e /* . */:
        return ANY_CHAR;
      case 0x40 /* @ */:
        return { t: 'rep', node: ANY_CHAR, min: 0, max: undefined };
      case 0x23 /* # */:
        return { t: 'set', set: { ranges: [], negated: false } };
      case 0x22 /* " */: {
        const items: Node[] = [];
        for (let q = this.next(); q !== 0x22; q = this.next()) items.push(single(q));
        return { t: 'cat', items };
      }
      case 0x7e /* ~ */:
        return this.fail('complement (~) is not supported');
      case 0x3c /* < */:
        return this.fail('intervals (<n-m>) and named automata are not supported');
      case 0x2a:
      case 0x2b:
      case 0x3f:
      case 0x7b:
        return this.fail('nothing to repeat');
      case 0x5c /* \ */:
        return { t: 'set', set: this.escape() };
      default:
        return single(c);
    }
  }

  private escape(): CharSet {
    const e = this.next();
    switch (e) {
      case 0x64 /* d */:
        return { ranges: DIGIT, negated: false };
      case 0x44 /* D */:
        return { ranges: DIGIT, negated: true };
      case 0x73 /* s */:
        return { ranges: SPACE, negated: false };
      case 0x53 /* S */:
        return { ranges: SPACE, negated: true };
      case 0x77 /* w */:
        return { ranges: WORD, negated: false };
      case 0x57 /* W */:
        return { ranges: WORD, negated: true };
      default:
        return { ranges: [[e, e]], negated: false };
    }
  }

  private charClass(): CharSet {
    const negated = this.eat(0x5e /* ^ */);
    const ranges: Range[] = [];
    for (let first = true; ; first = false) {
      const c = this.next();
      if (c === 0x5d /* ] */ && !first) return { ranges, negated };
      let lo = c;
      if (c === 0x5c) {
        const esc = this.escape();
        if (esc.negated) this.fail('negated shorthand classes inside [] are not supported');
        const [r] = esc.ranges;
        if (esc.ranges.length !== 1 || r === undefined || r[0] !== r[1]) {
          ranges.push(...esc.ranges);
          continue;
        }
        lo = r[0];
      }
      if (this.peek() === 0x2d /* - */ && this.src[this.pos + 1] !== undefined && this.src[this.pos + 1] !== 0x5d) {
        this.pos++;
        let hi = this.next();
        if (hi === 0x5c) hi = this.next();
        if (hi < lo) this.fail('bad character range');
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
  }
}

function single(cp: number): Node {
  return { t: 'set', set: { ranges: [[cp, cp]], negated: false } };
}

function inRanges(ranges: readonly Range[], cp: number): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

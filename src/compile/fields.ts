// Field resolution: an ECS field `a.b.c` may be stored as nested objects
// (`{"a":{"b":{"c":…}}}`), a dotted key (`{"a.b.c":…}`) or any mix
// (`{"a.b":{"c":…}}`, `{"a":{"b.c":…}}`); Elasticsearch maps all of them to the
// same field and merges their values. Arrays anywhere along the path flatten
// (arrays of objects, arrays of arrays). Only own properties count.
import { isAscii } from './casefold.js';
import type { TextView } from './wildcard.js';

/** A leaf value as a keyword or numeric field would index it. */
export type Leaf = string | number | boolean;

/** Resolves one field path; `ignoreAbove` > 0 drops longer strings (keyword `ignore_above`). */
export function fieldResolver(name: string, ignoreAbove: number): (doc: unknown) => Leaf[] {
  const parts = name.split('.');
  const n = parts.length;
  // keys[i][j]: parts i..j joined with dots, precomputed so resolution allocates no strings.
  const keys = parts.map((_, i) => parts.map((__, j) => (j >= i ? parts.slice(i, j + 1).join('.') : '')));

  const addLeaves = (v: unknown, out: Leaf[]): void => {
    if (typeof v === 'string') {
      if (ignoreAbove <= 0 || v.length <= ignoreAbove) out.push(v);
    } else if (typeof v === 'number') {
      if (Number.isFinite(v)) out.push(v);
    } else if (typeof v === 'boolean') out.push(v);
    else if (Array.isArray(v)) for (const e of v) addLeaves(e, out);
  };

  const descend = (v: unknown, i: number, out: Leaf[]): void => {
    if (Array.isArray(v)) for (const e of v) descend(e, i, out);
    else if (typeof v === 'object' && v !== null) collect(v as Record<string, unknown>, i, out);
  };

  const collect = (obj: Record<string, unknown>, i: number, out: Leaf[]): void => {
    const row = keys[i]!;
    for (let j = i; j < n; j++) {
      const key = row[j]!;
      const v = obj[key];
      if (v === undefined || !Object.hasOwn(obj, key)) continue;
      if (j === n - 1) addLeaves(v, out);
      else descend(v, j + 1, out);
    }
  };

  return (doc) => {
    const out: Leaf[] = [];
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) collect(doc as Record<string, unknown>, 0, out);
    return out;
  };
}

/** The keyword form of a leaf: what a keyword field indexes for it. */
export function keywordOf(v: Leaf): string {
  return typeof v === 'string' ? v : String(v);
}

/** One field's values for one event, with per-value text views computed on first use. */
export class Slot {
  private views: TextView[] | undefined;

  constructor(readonly values: readonly Leaf[]) {}

  textViews(): readonly TextView[] {
    if (this.views === undefined) {
      this.views = this.values.map((v) => {
        const text = keywordOf(v);
        return { text, asciiLower: isAscii(text) ? text.toLowerCase() : undefined };
      });
    }
    return this.views;
  }
}

/**
 * The fields a compiled query (or query set) reads, each with a slot index.
 * Queries compiled against one table share slots, so a field is resolved once
 * per event however many predicates or queries read it.
 */
export class FieldTable {
  private readonly index = new Map<string, number>();
  private readonly resolvers: ((doc: unknown) => Leaf[])[] = [];

  slotOf(name: string, ignoreAbove: number): number {
    const key = `${ignoreAbove}\u0000${name}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.resolvers.length;
      this.index.set(key, i);
      this.resolvers.push(fieldResolver(name, ignoreAbove));
    }
    return i;
  }

  context(doc: unknown): EvalContext {
    return new EvalContext(doc, this.resolvers);
  }
}

/** Per-event state: the document and its lazily resolved slots. */
export class EvalContext {
  private readonly slots: (Slot | undefined)[];

  constructor(
    readonly doc: unknown,
    private readonly resolvers: readonly ((doc: unknown) => Leaf[])[],
  ) {
    this.slots = new Array<Slot | undefined>(resolvers.length);
  }

  slot(i: number): Slot {
    let s = this.slots[i];
    if (s === undefined) {
      s = new Slot(this.resolvers[i]!(this.doc));
      this.slots[i] = s;
    }
    return s;
  }
}

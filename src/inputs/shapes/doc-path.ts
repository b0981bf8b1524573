// Reading fields from documents whose keys may be nested, dotted or mixed, and
// writing derived ECS fields into a copy without touching the caller's document.

export type Doc = Record<string, unknown>;

export function isObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The value at a dotted path. Tries plain nesting first (the common case), then
 * dotted keys at any level (`{"winlog.event_id": …}`, `{"winlog": {"event_data.Image": …}}`).
 */
export function pick(doc: Doc, path: string): unknown {
  let cur: unknown = doc;
  let start = 0;
  for (;;) {
    if (!isObject(cur)) return undefined;
    const dot = path.indexOf('.', start);
    if (dot < 0) {
      const v = cur[path.slice(start)];
      return v === undefined ? pickDotted(cur, path, start) : v;
    }
    const next = cur[path.slice(start, dot)];
    if (!isObject(next)) return pickDotted(cur, path, start);
    cur = next;
    start = dot + 1;
  }
}

// Slow path: some key at this level spans several path segments.
function pickDotted(obj: Doc, path: string, start: number): unknown {
  const rest = path.slice(start);
  const whole = obj[rest];
  if (whole !== undefined) return whole;
  for (let dot = rest.indexOf('.'); dot > 0; dot = rest.indexOf('.', dot + 1)) {
    const head = obj[rest.slice(0, dot)];
    if (isObject(head)) {
      const v = pick(head, rest.slice(dot + 1));
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/**
 * The object at `path`, merged with any dotted keys that spell out members of it
 * (`"winlog.event_data.Image"` next to or instead of `winlog.event_data`).
 */
export function pickObject(doc: Doc, path: string, hasDottedKeys: boolean): Doc | undefined {
  const nested = pick(doc, path);
  const base = isObject(nested) ? nested : undefined;
  if (!hasDottedKeys) return base;
  const prefix = path + '.';
  let merged: Doc | undefined;
  for (const key of Object.keys(doc)) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      merged ??= { ...base };
      merged[key.slice(prefix.length)] = doc[key];
    }
  }
  return merged ?? base;
}

export function hasDottedTopLevelKey(doc: Doc): boolean {
  for (const key in doc) if (key.includes('.')) return true;
  return false;
}

const splitCache = new Map<string, readonly string[]>();
function segments(path: string): readonly string[] {
  let s = splitCache.get(path);
  if (s === undefined) {
    s = path.split('.');
    splitCache.set(path, s);
  }
  return s;
}

/**
 * A shallow copy of the input document that derived fields are written into.
 * Nested objects are copied on first write, so the caller's document is never changed.
 */
export class DerivedDoc {
  readonly root: Doc;
  // Objects this instance created; a handful per event, so a list beats a Set.
  private readonly owned: Doc[] = [];
  private readonly dropDotted: boolean;

  constructor(source: Doc, hasDottedKeys: boolean) {
    this.root = { ...source };
    this.owned.push(this.root);
    this.dropDotted = hasDottedKeys;
  }

  set(path: string, value: unknown): void {
    if (value === undefined) return;
    const segs = segments(path);
    let cur = this.root;
    for (let i = 0; i < segs.length - 1; i++) {
      const key = segs[i] as string;
      const existing = cur[key];
      let next: Doc;
      if (isObject(existing)) {
        if (this.owned.includes(existing)) next = existing;
        else {
          next = { ...existing };
          this.owned.push(next);
        }
      } else {
        next = {};
        this.owned.push(next);
      }
      cur[key] = next;
      cur = next;
    }
    cur[segs[segs.length - 1] as string] = value;
    // A dotted original key with the same path would shadow or contradict the derived value.
    if (this.dropDotted && segs.length > 1) delete this.root[path];
  }

  /** Appends to an array field unless the value is already there (ingest `append` with allow_duplicates: false). */
  appendUnique(path: string, value: unknown): void {
    if (value === undefined || value === null || value === '') return;
    const current = this.get(path);
    if (Array.isArray(current)) {
      if (!current.includes(value)) this.set(path, [...current, value]);
    } else if (current === undefined) this.set(path, [value]);
    else if (current !== value) this.set(path, [current, value]);
  }

  get(path: string): unknown {
    return pick(this.root, path);
  }
}

// Reading ECS fields out of an event whose keys may be nested objects, dotted
// keys or a mix of both ({"file":{"path":…}}, {"file.path":…}, {"file":{"Ext.x":…}}),
// the way Elasticsearch's `fields` API sees them.

type Json = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The values at a dotted path, flattened into one list (arrays of objects are
 * walked like Elasticsearch does); empty when the field is absent or null.
 */
export function fieldValues(event: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(event, path.split('.'), 0, out);
  return out;
}

function collect(node: unknown, segs: readonly string[], from: number, out: unknown[]): void {
  if (from === segs.length) {
    if (Array.isArray(node)) for (const v of node) pushLeaf(v, out);
    else pushLeaf(node, out);
    return;
  }
  if (Array.isArray(node)) {
    for (const item of node) collect(item, segs, from, out);
    return;
  }
  if (!isPlainObject(node)) return;
  // Try every split of the remaining path into "a key here" + "the rest below".
  let key = '';
  for (let i = from; i < segs.length; i++) {
    key = i === from ? (segs[i] as string) : `${key}.${segs[i] as string}`;
    if (Object.hasOwn(node, key)) collect(node[key], segs, i + 1, out);
  }
}

function pushLeaf(value: unknown, out: unknown[]): void {
  if (value !== null && value !== undefined) out.push(value);
}

/**
 * Every leaf below `prefix` as flat dotted keys (`event.category` → ['file']),
 * from nested objects and dotted keys alike. Arrays are leaves, as in Kibana's
 * flattenWithPrefix.
 */
export function flattenPrefix(event: Json, prefix: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === prefix) flattenInto(value, prefix, out);
    else if (key.startsWith(`${prefix}.`)) flattenInto(value, key, out);
  }
  return out;
}

function flattenInto(value: unknown, path: string, out: Json): void {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) flattenInto(v, `${path}.${k}`, out);
  } else {
    out[path] = value;
  }
}

/** The event's `@timestamp` as a Date (ISO string or epoch milliseconds); undefined when absent or invalid. */
export function eventTime(event: Json): Date | undefined {
  const [value] = fieldValues(event, '@timestamp');
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

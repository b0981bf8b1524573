// Nesting depth limits. The matcher, normalisation and the alert builder walk
// documents recursively (and structuredClone and JSON.stringify recurse natively),
// so a document nested thousands of levels deep would overflow the stack. Such a
// document is refused at decoding, as Jackson — Elasticsearch's JSON parser —
// refuses JSON nested deeper than 1000 levels by default.

export const MAX_NESTING_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** True when JSON text nests objects and arrays deeper than `limit`. One pass over the bytes; strings are skipped. */
export function jsonNestingExceeds(bytes: Uint8Array, limit: number = MAX_NESTING_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** True when a decoded value nests objects and arrays deeper than `limit`. Iterative: the depth is the input's to choose. */
export function valueNestingExceeds(value: unknown, limit: number = MAX_NESTING_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

// The ECS field list the linter checks against (src/lint/ecs-fields.json,
// generated from @elastic/ecs by scripts/ecs-fields/generate.ts).

import data from './ecs-fields.json' with { type: 'json' };

const fields: Readonly<Record<string, string>> = data.fields;
const ignoreAbove: Readonly<Record<string, number>> = data.ignoreAbove;
const allowed: Readonly<Record<string, readonly string[]>> = data.allowedValues;

export const ECS_VERSION: string = data.ecsVersion;

/** The ECS type of a field (`keyword`, `long`, …), or undefined when the field is not in ECS. */
export function ecsType(name: string): string | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

/** True for ECS fields and for sub-fields of ECS objects that accept any key (`labels.*`). */
export function isEcsField(name: string): boolean {
  return ecsType(name) !== undefined || data.openObjects.some((o) => name.startsWith(`${o}.`));
}

/** The ECS `ignore_above` of a keyword field: longer values are not indexed. */
export function ecsIgnoreAbove(name: string): number | undefined {
  return Object.hasOwn(ignoreAbove, name) ? ignoreAbove[name] : undefined;
}

/** The values ECS allows for a categorisation field (event.category, event.type, …), if it restricts them. */
export function ecsAllowedValues(name: string): readonly string[] | undefined {
  return Object.hasOwn(allowed, name) ? allowed[name] : undefined;
}

/** ECS fields within edit distance 2 of `name`, closest first (spelling suggestions). */
export function similarEcsFields(name: string, limit = 3): string[] {
  const scored: { field: string; d: number }[] = [];
  for (const field of Object.keys(fields)) {
    if (Math.abs(field.length - name.length) > 2) continue;
    const d = editDistance(name, field, 2);
    if (d <= 2) scored.push({ field, d });
  }
  return scored.sort((a, b) => a.d - b.d || a.field.localeCompare(b.field)).slice(0, limit).map((s) => s.field);
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
function editDistance(a: string, b: string, max: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

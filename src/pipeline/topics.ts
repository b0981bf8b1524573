// Which topics to read, and which rules apply to each. A rule's `index`
// patterns (`logs-windows.*`, `winlogbeat-*`) are matched against topic names
// with picomatch: a rule applies only to records from topics its patterns cover.
// With explicit topics the same holds, so a topic no rule covers yields no alerts.
import picomatch from 'picomatch';
import type { ShapeSetting } from '../inputs/types.js';

interface Indexed {
  readonly rule: { readonly index: readonly string[] };
}

// Topic names hold no `/`, so `*` spans the whole name; `.` is an ordinary character.
const PICO = { dot: true, nocase: false } as const;

export function coverMatcher(patterns: readonly string[]): (topic: string) => boolean {
  return patterns.length === 0 ? () => false : picomatch([...patterns], PICO);
}

/** The rules (by index into `rules`) whose index patterns cover `topic`. */
export function rulesForTopic<R extends Indexed>(rules: readonly R[], topic: string): number[] {
  const out: number[] = [];
  rules.forEach((r, i) => {
    if (coverMatcher(r.rule.index)(topic)) out.push(i);
  });
  return out;
}

/** Existing topics covered by at least one rule, sorted; never the worker's own output topics. */
export function deriveTopics<R extends Indexed>(rules: readonly R[], existing: readonly string[], exclude: readonly string[]): string[] {
  const covers = coverMatcher(rules.flatMap((r) => r.rule.index));
  return existing.filter((t) => !t.startsWith('__') && !exclude.includes(t) && covers(t)).sort();
}

/** The configured input shape of a topic: the first `pattern=shape` entry covering it, else the default. */
export function shapeForTopic(topic: string, entries: readonly { pattern: string; shape: ShapeSetting }[], fallback: ShapeSetting): ShapeSetting {
  for (const e of entries) if (picomatch.isMatch(topic, e.pattern, PICO)) return e.shape;
  return fallback;
}

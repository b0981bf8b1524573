// Which topics to read, and which rules apply to each. A rule's `index`
// patterns (`logs-windows.*`, `winlogbeat-*`) are matched against topic names
// with picomatch: a rule applies only to records from topics its patterns cover.
// With explicit topics the same holds, so a topic no rule covers yields no alerts.
import picomatch from 'picomatch';
import type { PatternValue } from '../ops/config.js';

interface Indexed {
  readonly rule: { readonly index: readonly string[] };
}

// Topic names hold no `/`, so `*` spans the whole name; `.` is an ordinary character.
const PICO = { dot: true, nocase: false } as const;

export function coverMatcher(patterns: readonly string[]): (topic: string) => boolean {
  return patterns.length === 0 ? () => false : picomatch([...patterns], PICO);
}

/** The value of the first entry whose pattern covers `topic`, else `fallback`. */
export function valueForTopic<T>(topic: string, entries: readonly PatternValue<T>[], fallback: T): T {
  for (const e of entries) if (picomatch.isMatch(topic, e.pattern, PICO)) return e.value;
  return fallback;
}

/**
 * The index name rules see a topic as: its own name, or the one EQL_STREAM_TOPIC_INDEX gives it
 * (for topics not named like Elastic indices, e.g. `winlogbeat` for `winlogbeat-*`).
 */
export function indexOfTopic(topic: string, topicIndex: readonly PatternValue<string>[]): string {
  return valueForTopic(topic, topicIndex, topic);
}

/** The rules (by index into `rules`) whose index patterns cover `topic`. */
export function rulesForTopic<R extends Indexed>(rules: readonly R[], topic: string, topicIndex: readonly PatternValue<string>[] = []): number[] {
  const index = indexOfTopic(topic, topicIndex);
  const out: number[] = [];
  rules.forEach((r, i) => {
    if (coverMatcher(r.rule.index)(index)) out.push(i);
  });
  return out;
}

/** Existing topics covered by at least one rule, sorted; never internal topics or the worker's own output topics. */
export function deriveTopics<R extends Indexed>(rules: readonly R[], existing: readonly string[], exclude: readonly string[], topicIndex: readonly PatternValue<string>[] = []): string[] {
  const covers = coverMatcher(rules.flatMap((r) => r.rule.index));
  return existing.filter((t) => !t.startsWith('__') && !exclude.includes(t) && covers(indexOfTopic(t, topicIndex))).sort();
}

/** Of `topics`, those no rule covers: their records could never yield an alert. */
export function uncoveredTopics<R extends Indexed>(rules: readonly R[], topics: readonly string[], topicIndex: readonly PatternValue<string>[] = []): string[] {
  return topics.filter((t) => rulesForTopic(rules, t, topicIndex).length === 0);
}

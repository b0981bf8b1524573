// Metric names in a PromQL expression, enough for our dashboard and alert rules:
// strings, label matchers, range selectors and grouping clauses are removed first,
// then every identifier not followed by `(` and not a keyword is a metric name.
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\[[^[\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(?!\s*\(|[A-Za-z0-9_:])/g)) {
    const word = m[0];
    const before = stripped[m.index - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue; // exponent or duration suffix: 1e3, 5m
    if (!KEYWORDS.has(word.toLowerCase())) names.add(word);
  }
  return [...names];
}

// The PromQL the Grafana dashboard and the alert rules run, and the metric names a /metrics text exports.
import { readText, readYaml } from './helpers.js';

interface Dashboard {
  panels: { title: string; targets?: { expr: string }[] }[];
  templating: { list: { name: string; query?: string | { query: string } }[] };
}
interface RuleFile {
  groups: { rules: { alert: string; expr: string }[] }[];
}

export function monitoringQueries(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(readText('helm/eql-stream/files/dashboards/eql-stream.json')) as Dashboard;
  const rules = readYaml('helm/eql-stream/files/prometheus-rules.yaml') as RuleFile;
  return [
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `dashboard panel "${p.title}"`, expr: t.expr }))),
    ...dashboard.templating.list.flatMap((v) => {
      const q = typeof v.query === 'object' ? v.query.query : undefined;
      return q ? [{ where: `dashboard variable $${v.name}`, expr: q.replace(/^label_values\((.*),\s*\w+\)$/, '$1') }] : [];
    }),
    ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }))),
  ];
}

/** Sample names /metrics can carry for each `# TYPE` line: histograms add _bucket, _sum and _count. */
export function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const [, name, type] = m as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram' || type === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

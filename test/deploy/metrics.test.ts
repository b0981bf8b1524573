// Every metric the Grafana dashboard and the alert rules query must be one the
// worker exports: compared with /metrics served by the worker's ops server over
// the registry of createMetrics() (and, in the integration tests, with the
// /metrics of a running worker process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.js';
import { startOpsServer, type OpsServer } from '../../src/ops/http.js';
import { metricNames } from './promql.js';
import { exportedNames, monitoringQueries } from './monitoring.js';

const queries = monitoringQueries();

describe('dashboard and alert rules against /metrics', () => {
  let server: OpsServer;
  let exported: Set<string>;

  beforeAll(async () => {
    server = await startOpsServer(createMetrics().registry, { notReadyReason: () => null }, 0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    exported = exportedNames(await res.text());
  });
  afterAll(() => server.close());

  it('finds the queries to check', () => {
    expect(queries.filter((q) => q.where.startsWith('dashboard panel')).length).toBeGreaterThanOrEqual(20);
    expect(queries.filter((q) => q.where.startsWith('alert')).length).toBeGreaterThanOrEqual(6);
    expect(exported.has('eql_stream_batch_duration_seconds_bucket')).toBe(true);
  });

  it.each(queries)('$where queries only exported metrics', ({ expr }) => {
    const names = metricNames(expr);
    expect(names.length, expr).toBeGreaterThan(0);
    for (const name of names) expect(exported, `${name} in ${expr}`).toContain(name);
  });

  it('covers every panel the issue asks for', () => {
    const all = queries.map((q) => q.expr).join('\n');
    for (const metric of [
      'events_consumed_total', 'alerts_produced_total', 'rule_matches_total', 'alerts_suppressed_total', 'dead_lettered_total',
      'consumer_lag_records', 'event_time_lag_seconds_bucket', 'batch_duration_seconds_bucket', 'prefilter_rejected_total',
      'rebalances_total', 'nodejs_heap_size_used_bytes', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_p99_seconds',
      'decode_errors_total', 'assigned_partitions',
    ]) {
      expect(all, metric).toContain(`eql_stream_${metric}`);
    }
  });
});

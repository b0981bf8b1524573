// Every Prometheus metric the worker exports, in one registry. The Grafana
// dashboard and the PrometheusRule in helm/ query only these names (a test
// checks that against a running worker's /metrics).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const METRIC_PREFIX = 'eql_stream_';

export function createMetrics(registry: Registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const p = METRIC_PREFIX;
  return {
    registry,
    eventsConsumed: new Counter({ name: `${p}events_consumed_total`, help: 'Records read from input topics.', labelNames: ['topic'], registers: [registry] }),
    eventsDecoded: new Counter({ name: `${p}events_decoded_total`, help: 'Records decoded and normalised to ECS, by input shape.', labelNames: ['topic', 'shape'], registers: [registry] }),
    prefilterRejected: new Counter({ name: `${p}prefilter_rejected_total`, help: 'Records rejected by the raw-bytes prefilter without parsing.', labelNames: ['topic'], registers: [registry] }),
    ruleMatches: new Counter({ name: `${p}rule_matches_total`, help: 'Events that matched a rule.', labelNames: ['topic', 'rule_id', 'rule_name'], registers: [registry] }),
    alertsProduced: new Counter({ name: `${p}alerts_produced_total`, help: 'Alert documents acknowledged by the alerts topic.', labelNames: ['rule_id', 'severity'], registers: [registry] }),
    alertsSuppressed: new Counter({ name: `${p}alerts_suppressed_total`, help: 'Hits beyond max_signals per rule per interval window.', labelNames: ['rule_id'], registers: [registry] }),
    deadLettered: new Counter({ name: `${p}dead_lettered_total`, help: 'Records sent to the dead-letter topic, by reason.', labelNames: ['topic', 'reason'], registers: [registry] }),
    decodeErrors: new Counter({ name: `${p}decode_errors_total`, help: 'Records that could not be decoded, by reason.', labelNames: ['topic', 'reason'], registers: [registry] }),
    batchDuration: new Histogram({ name: `${p}batch_duration_seconds`, help: 'Time to process one fetched batch, from receipt to commit.', labelNames: ['topic'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    batchSize: new Histogram({ name: `${p}batch_size_records`, help: 'Records per fetched batch.', buckets: [1, 10, 50, 100, 500, 1000, 5000, 10000], registers: [registry] }),
    eventTimeLag: new Histogram({ name: `${p}event_time_lag_seconds`, help: 'Processing time minus the event @timestamp.', buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 86400], registers: [registry] }),
    consumerLag: new Gauge({ name: `${p}consumer_lag_records`, help: 'High watermark minus the next offset to process, per partition.', labelNames: ['topic', 'partition'], registers: [registry] }),
    assignedPartitions: new Gauge({ name: `${p}assigned_partitions`, help: 'Partitions currently assigned to this worker.', registers: [registry] }),
    rebalances: new Counter({ name: `${p}rebalances_total`, help: 'Consumer group rebalances this worker took part in.', registers: [registry] }),
    producerPaused: new Gauge({ name: `${p}fetch_paused`, help: '1 while fetching is paused because the producer lags (back-pressure).', registers: [registry] }),
    ruleInfo: new Gauge({ name: `${p}rule_info`, help: 'Loaded rules (value 1).', labelNames: ['rule_id', 'rule_name', 'version', 'sha256'], registers: [registry] }),
    buildInfo: new Gauge({ name: `${p}build_info`, help: 'Build information (value 1).', labelNames: ['version', 'node_version'], registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

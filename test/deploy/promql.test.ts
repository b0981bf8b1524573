import { describe, expect, it } from 'vitest';
import { metricNames } from './promql.js';

describe('metricNames', () => {
  it('finds the metrics of a histogram quantile, not the functions or grouping labels', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le) (rate(eql_stream_batch_duration_seconds_bucket{job=~"$job"}[$__rate_interval])))'))
      .toEqual(['eql_stream_batch_duration_seconds_bucket']);
  });

  it('finds both sides of binary operators and ignores keywords and label values', () => {
    expect(metricNames('sum by (job, topic) (a_total{reason="by (x) foo"}) / on (job) group_left (topic) b_total > 0.01 and absent(c)'))
      .toEqual(['a_total', 'b_total', 'c']);
  });

  it('ignores numbers with exponents', () => {
    expect(metricNames('x > 1e3')).toEqual(['x']);
  });
});

// The README's first command, as a test: the demo corpus through the real broker.
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../src/cli/demo.js';
import { brokers } from '../setup/services.js';

describe('the demo', () => {
  it('yields exactly one alert with the expected id per matching event of the demo corpus, and no other', async () => {
    const said: string[] = [];
    const result = await runDemo({ brokers: brokers(), partitions: 3, keepTopics: false, keepServices: true, timeoutMs: 120_000, say: (l) => said.push(l) });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    // 5 crafted attack cases must match, in each of the three input shapes; no real event does.
    expect(result.expectedAlertIds).toHaveLength(15);
    expect(result.alerts.map((a) => a['kibana.alert.uuid']).sort()).toEqual(result.expectedAlertIds);
    expect(result.produced).toEqual({ real: 10_772, crafted: 33, malformed: 3 });
    expect(result.deadLetters.map((d) => d.reason).sort()).toEqual(['invalid_json', 'invalid_json', 'not_an_object']);
    const json = await result.metrics.registry.getMetricsAsJSON();
    const consumed = json.find((m) => m.name === 'eql_stream_events_consumed_total')?.values.reduce((n, v) => n + v.value, 0);
    expect(consumed).toBe(10_772 + 33 + 3);
    expect(said.some((l) => l.includes('caught up'))).toBe(true);
  });
});
